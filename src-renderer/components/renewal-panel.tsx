import { Refusal } from './refusal';
import { useAppStore } from '../store';

/**
 * The role ceremony's one way to more time: a NEW ceremony linked to this one, with its own
 * scenario (and a renewal justification), notification, taps and expiry. The cleanup runbook
 * treats a renewal as a separate incident, so the panel says so before anyone presses it.
 */
export function RenewalPanel() {
  const state = useAppStore((s) => s.ceremony.state)!;
  const busy = useAppStore((s) => s.ceremony.busy);
  const startRenewal = useAppStore((s) => s.startRenewal);
  const roleLocked = state.steps.find((s) => s.id === 'role_session')?.status === 'locked';
  if (state.type !== 'breakglass-role' || !roleLocked || state.phase === 'aborted') return null;
  return (
    <details className="renewal" data-testid="renewal-panel">
      <summary>Need more time than this session allows?</summary>
      <p>
        A renewal is a separate incident: it starts a new ceremony linked to this one, with its own scenario and a
        renewal justification, the founders told again, and its own taps and expiry. This session is not extended.
        Renewing &ldquo;just in case&rdquo; instead of cleaning up is refused.
      </p>
      <button type="button" disabled={busy !== null} onClick={() => void startRenewal()} data-testid="start-renewal">
        Start a renewal (new linked ceremony)
      </button>
      <Refusal channels={['ceremony:start']} />
    </details>
  );
}
