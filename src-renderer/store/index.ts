import { create } from 'zustand';
import { createAppSlice, type AppSlice } from './app-slice';
import { createCeremonySlice, type CeremonySlice } from './ceremony-slice';
import { createJournalSlice, type JournalSlice } from './journal-slice';
import { createKeySlice, type KeySlice } from './key-slice';
import { createReconcileSlice, type ReconcileSlice } from './reconcile-slice';
import { createSyncSlice, type SyncSlice } from './sync-slice';

export type AppState = AppSlice & CeremonySlice & JournalSlice & KeySlice & ReconcileSlice & SyncSlice;

export const useAppStore = create<AppState>()((...a) => ({
  ...createAppSlice(...a),
  ...createCeremonySlice(...a),
  ...createJournalSlice(...a),
  ...createKeySlice(...a),
  ...createReconcileSlice(...a),
  ...createSyncSlice(...a),
}));

/** Everything the window needs before the first decision. */
export async function loadInitialState(): Promise<void> {
  const s = useAppStore.getState();
  await s.loadApp();
  const drillOnly = useAppStore.getState().app.info?.drill_only ?? false;
  useAppStore.getState().setStartDrill(drillOnly);
  // The journal status is not read here: the journal view reads it when it opens.
  await Promise.all([s.loadCatalog(), s.refreshList(), s.refreshSync()]);
  // No automatic resume: an unfinished ceremony may be a month-old drill, and a real SEV-0 must
  // not open on its witness code. The start screen lists it with its age and mode; the person chooses.
}
