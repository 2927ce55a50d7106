import type { CeremonyState } from '../../src-shared/ceremony/state-types';
import type { StepId } from '../../src-shared/ceremony/steps';

export type ScreenId = 'start' | StepId | 'aftercare' | 'aborted';

/**
 * Which screen the window shows. Derived from the ceremony state alone (plus a step the person
 * chose to look back at), so a restarted app lands on the same screen.
 */
export function pickScreen(state: CeremonyState | null, viewing: StepId | null): ScreenId {
  if (!state) return 'start';
  if (viewing && state.steps.some((s) => s.id === viewing && s.status !== 'pending' && s.id !== state.current_step))
    return viewing;
  if (state.phase === 'aborted') return 'aborted';
  if (state.phase === 'aftercare' || !state.current_step) return 'aftercare';
  return state.current_step;
}
