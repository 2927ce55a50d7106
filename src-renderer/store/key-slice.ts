import type { StateCreator } from 'zustand';
import type { KeyPinEvent, KeyStatusView, KeyTouchEvent } from '../../src-shared/ipc/contract';
import type { AppState } from './index';

export interface KeySlice {
  key: { status: KeyStatusView | null; touchNeeded: boolean; busy: boolean; error: string | null };
  /** Main's deadline for the touch being asked for: the time left when main asked, and when that arrived (this page's ms). */
  touchDeadline: { timeoutMs: number; receivedAt: number } | null;
  /** The key's PIN request being shown (never the PIN: that stays in the prompt's input until sent). */
  pinRequest: Extract<KeyPinEvent, { type: 'pin-needed' }> | null;
  onPin: (event: KeyPinEvent) => void;
  /** Sends the PIN (or null: cancel) for the pending request, once. */
  providePin: (pin: string | null) => Promise<void>;
  /** Which key the screens show: the virtual one for drills, the hardware one otherwise. */
  refreshKey: (drill: boolean) => Promise<void>;
  setKeyStatus: (status: KeyStatusView) => void;
  onTouch: (event: KeyTouchEvent) => void;
  enrolKey: (drill: boolean, label: 'primary' | 'backup') => Promise<boolean>;
  simulateTouch: () => Promise<void>;
}

/** Whose keys to show: the active ceremony's operator, else the one chosen on the start screen. */
function operatorShown(state: AppState): { operator?: string } {
  const operator = state.ceremony.state?.operator.id ?? state.ceremony.startOperator;
  return operator ? { operator } : {};
}

export const createKeySlice: StateCreator<AppState, [], [], KeySlice> = (set, get) => ({
  key: { status: null, touchNeeded: false, busy: false, error: null },
  refreshKey: async (drill) => {
    const result = await window.api.key.status({ drill, ...operatorShown(get()) });
    set({
      key: {
        ...get().key,
        status: result.ok ? result.value : get().key.status,
        error: result.ok ? null : result.error.message,
      },
    });
  },
  setKeyStatus: (status) => {
    // Pushes about the other key (hardware hot-plug during a drill) do not replace the one shown.
    const shown = get().key.status;
    if (shown && shown.drill !== status.drill) return;
    // Hot-plug pushes describe the first principal's keys: for anyone else, ask again.
    const wanted = operatorShown(get()).operator;
    if (wanted && status.operator?.toLowerCase() !== wanted.toLowerCase()) {
      void get().refreshKey(status.drill);
      return;
    }
    set({ key: { ...get().key, status } });
  },
  touchDeadline: null,
  onTouch: (event) =>
    set({
      key: { ...get().key, touchNeeded: event.type === 'touch-needed' },
      touchDeadline: event.type === 'touch-needed' ? { timeoutMs: event.timeout_ms, receivedAt: Date.now() } : null,
    }),
  pinRequest: null,
  onPin: (event) => set({ pinRequest: event.type === 'pin-needed' ? event : null }),
  providePin: async (pin) => {
    const request = get().pinRequest;
    if (!request) return;
    set({ pinRequest: null });
    await window.api.key.providePin({ drill: request.drill, pin });
  },
  enrolKey: async (drill, label) => {
    set({ key: { ...get().key, busy: true, error: null } });
    const result = await window.api.key.enrol({ drill, label, ...operatorShown(get()) });
    set({
      key: {
        ...get().key,
        busy: false,
        touchNeeded: false,
        status: result.ok ? result.value : get().key.status,
        error: result.ok ? null : result.error.message,
      },
    });
    return result.ok;
  },
  simulateTouch: async () => {
    await window.api.key.simulateTouch();
  },
});
