import type { StateCreator } from 'zustand';
import type { AppInfo, ConfigInfo } from '../../src-shared/ipc/contract';
import type { AppState } from './index';

export interface AppSlice {
  app: { info: AppInfo | null; config: ConfigInfo | null; online: boolean; error: string | null; showJournal: boolean };
  loadApp: () => Promise<void>;
  setOnline: (online: boolean) => void;
  toggleJournal: (show?: boolean) => void;
  openConsole: (url: string) => Promise<string | null>;
}

export const createAppSlice: StateCreator<AppState, [], [], AppSlice> = (set, get) => ({
  app: { info: null, config: null, online: navigator.onLine, error: null, showJournal: false },
  loadApp: async () => {
    const [info, config] = await Promise.all([window.api.app.info(), window.api.config.info()]);
    if (!info.ok || !config.ok) {
      const error = !info.ok ? info.error.message : !config.ok ? config.error.message : null;
      set({ app: { ...get().app, error } });
      return;
    }
    set({ app: { ...get().app, info: info.value, config: config.value, error: null } });
  },
  setOnline: (online) => set({ app: { ...get().app, online } }),
  toggleJournal: (show) => {
    const open = show ?? !get().app.showJournal;
    set({ app: { ...get().app, showJournal: open } });
    // Verifying every ceremony is the journal view's work: done when it opens, not on every change.
    if (open) void get().refreshJournal();
  },
  openConsole: async (url) => {
    const result = await window.api.app.openConsole(url);
    return result.ok ? null : result.error.message;
  },
});
