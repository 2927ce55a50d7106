import { create } from 'zustand';
import { createJournalSlice, type JournalSlice } from './journal-slice';

export type AppState = JournalSlice;

export const useAppStore = create<AppState>()((...a) => ({
  ...createJournalSlice(...a),
}));
