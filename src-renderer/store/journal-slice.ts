import type { StateCreator } from 'zustand';
import type { JournalStatus } from '../../src-shared/ipc/contract';
import type { AppState } from './index';

export interface JournalSlice {
  journal: { status: JournalStatus | null; error: string | null };
  refreshJournal: () => Promise<void>;
}

export const createJournalSlice: StateCreator<AppState, [], [], JournalSlice> = (set) => ({
  journal: { status: null, error: null },
  refreshJournal: async () => {
    const result = await window.api.journal.status();
    set({ journal: result.ok ? { status: result.value, error: null } : { status: null, error: result.error.message } });
  },
});
