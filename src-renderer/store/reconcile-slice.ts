import type { StateCreator } from 'zustand';
import type { ReconcileArgs, ReconcileView } from '../../src-shared/ipc/contract';
import type { Refusal } from '../../src-shared/result';
import type { AppState } from './index';

export interface ReconcileSlice {
  reconcile: {
    /** Kept with its ceremony id, so another ceremony never shows this one's timeline. */
    view: ReconcileView | null;
    busy: boolean;
    /** Main's refusal (a named file and what is wrong with it), shown next to the form. */
    error: Refusal | null;
  };
  runReconcile: (args: ReconcileArgs) => Promise<boolean>;
  clearReconcile: () => void;
}

export const createReconcileSlice: StateCreator<AppState, [], [], ReconcileSlice> = (set, get) => {
  const patch = (p: Partial<ReconcileSlice['reconcile']>) => set({ reconcile: { ...get().reconcile, ...p } });
  return {
    reconcile: { view: null, busy: false, error: null },
    runReconcile: async (args) => {
      const id = get().ceremony.activeId;
      if (!id || get().reconcile.busy) return false;
      patch({ busy: true, error: null });
      const result = await window.api.ceremony.reconcile(id, args);
      // The person may have left the ceremony while main was reading the files.
      if (get().ceremony.activeId !== id) {
        patch({ busy: false });
        return false;
      }
      // A failed run keeps the previous timeline: the error says what to fix, nothing is lost.
      patch(result.ok ? { busy: false, view: result.value, error: null } : { busy: false, error: result.error });
      return result.ok;
    },
    clearReconcile: () => patch({ view: null, error: null }),
  };
};
