import type { StateCreator } from 'zustand';
import type { SyncStatusView } from '../../src-shared/ipc/contract';
import type { AppState } from './index';

export interface SyncSlice {
  sync: { status: SyncStatusView | null; error: string | null };
  refreshSync: () => Promise<void>;
  setSync: (status: SyncStatusView) => void;
  syncNow: () => Promise<void>;
}

export const createSyncSlice: StateCreator<AppState, [], [], SyncSlice> = (set) => ({
  sync: { status: null, error: null },
  refreshSync: async () => {
    const result = await window.api.sync.status();
    set({ sync: result.ok ? { status: result.value, error: null } : { status: null, error: result.error.message } });
  },
  setSync: (status) => set({ sync: { status, error: null } }),
  syncNow: async () => {
    const result = await window.api.sync.now();
    set({ sync: result.ok ? { status: result.value, error: null } : { status: null, error: result.error.message } });
  },
});
