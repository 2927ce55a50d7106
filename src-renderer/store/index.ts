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
  // After a crash or a restart: exactly one unfinished ceremony means the person was in it.
  const unfinished = useAppStore.getState().ceremony.list.filter((c) => c.phase === 'ceremony');
  if (unfinished.length === 1) await useAppStore.getState().resume(unfinished[0]!.ceremony_id);
}
