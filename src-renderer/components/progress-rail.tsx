import type { StepStatus } from '../../src-shared/ceremony/state-types';
import { useAppStore } from '../store';

const STATUS_WORDS: Record<StepStatus, string> = {
  pending: 'not yet',
  open: 'now',
  done: 'recorded, tap to lock',
  locked: 'locked',
  blocked: 'blocked',
};

/** A step that does not lock with a tap is simply done once recorded. */
const statusWords = (status: StepStatus, locksWithTap: boolean, aborted: boolean) =>
  aborted && (status === 'open' || status === 'pending')
    ? 'not reached (aborted)'
    : status === 'done' && !locksWithTap
      ? 'done'
      : STATUS_WORDS[status];

/** Every step with its status; earlier steps open read-only (going back never rewrites). */
export function ProgressRail() {
  const state = useAppStore((s) => s.ceremony.state);
  const viewing = useAppStore((s) => s.ceremony.viewing);
  const view = useAppStore((s) => s.view);
  if (!state) return null;
  const afterSteps = state.phase === 'aftercare';
  return (
    <nav className="rail" aria-label="Ceremony steps">
      <ol>
        {state.steps.map((step, i) => {
          const current = step.id === state.current_step && !viewing;
          const canView = step.status !== 'pending';
          return (
            <li
              key={step.id}
              className={`rail-step ${step.status}${step.locks_with_tap ? '' : ' no-tap'}${current ? ' current' : ''}`}
              data-testid={`rail-${step.id}`}
              data-status={step.status}
            >
              <button
                type="button"
                className="rail-button"
                disabled={!canView}
                aria-current={current ? 'step' : undefined}
                onClick={() => view(step.id === state.current_step ? null : step.id)}
              >
                <span className="rail-number">{i + 1}</span> <span className="rail-title">{step.title}</span>
                <span className="sr-only">: </span>
                <span className="rail-status">
                  {statusWords(step.status, step.locks_with_tap, state.phase === 'aborted')}
                </span>
              </button>
            </li>
          );
        })}
        <li className={`rail-step ${afterSteps ? 'open' : 'pending'}`} data-testid="rail-aftercare">
          <button type="button" className="rail-button" disabled={!afterSteps} onClick={() => view(null)}>
            <span className="rail-number">✓</span> <span className="rail-title">After the glass (24 h)</span>
            <span className="sr-only">: </span>
            <span className="rail-status">{afterSteps ? 'now' : 'not yet'}</span>
          </button>
        </li>
      </ol>
    </nav>
  );
}
