import type { StepId } from '../../src-shared/ceremony/steps';
import { KeyPanel } from '../screens/key-panel';
import { useAppStore } from '../store';
import { Refusal } from './refusal';
import { WhyNot } from './why-not';

/**
 * Locks a step with a key tap (a checkpoint over the journal head). Shown once the step has what
 * it needs; a failed tap says why and leaves the step open. With no key enrolled the lock cannot
 * work, so the enrolment is offered right here instead of a dead end.
 */
export function LockPanel(props: { step: StepId; what: string }) {
  const step = useAppStore((s) => s.ceremony.state?.steps.find((x) => x.id === props.step));
  const allowed = useAppStore((s) => s.ceremony.state?.allowed.lock_step);
  const drill = useAppStore((s) => s.ceremony.state?.drill ?? false);
  const noKey = useAppStore(
    (s) => s.key.status !== null && s.key.status.drill === drill && s.key.status.enrolled.length === 0,
  );
  const busy = useAppStore((s) => s.ceremony.busy);
  const lock = useAppStore((s) => s.lockStep);
  const lastFailure = useAppStore((s) => s.ceremony.state?.tap_failures.filter((f) => f.step === props.step).at(-1));
  if (!step || step.status === 'locked') return null;
  const ready = step.status === 'done';
  const disabled = !ready || busy !== null || (allowed !== undefined && !allowed.ok);
  return (
    <div className="lock-panel" data-testid="lock-panel">
      <h2>Lock this step</h2>
      <p>
        {ready
          ? `Tap your key to lock ${props.what}. After that it cannot be changed; corrections become notes.`
          : `Not ready to lock: ${step.detail ?? 'finish the step first'}.`}
      </p>
      <button
        type="button"
        className={ready ? 'primary' : undefined}
        disabled={disabled}
        onClick={() => void lock(props.step)}
        data-testid="lock-step"
        data-next={ready ? 'true' : undefined}
        aria-describedby={ready && allowed && !allowed.ok ? `lock-${props.step}-why` : undefined}
      >
        {busy === 'ceremony:lockStep' ? 'Waiting for the key…' : 'Lock with key tap'}
      </button>
      {ready ? <WhyNot allowed={allowed} id={`lock-${props.step}-why`} /> : null}
      <Refusal channels={['ceremony:lockStep']} />
      {lastFailure ? (
        <p className="hint" data-testid="last-tap-failure">
          Last failed tap ({lastFailure.code}): {lastFailure.reason}
        </p>
      ) : null}
      {noKey ? <KeyPanel drill={drill} /> : null}
    </div>
  );
}
