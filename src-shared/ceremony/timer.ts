import type { CeremonyType } from './steps';
import type { TimerView } from './state-types';

const round1 = (n: number) => Math.round(n * 10) / 10;

/**
 * The session timer: elapsed time against the expected duration the operator wrote into the audit
 * row (root) or the credential lifetime (role), with a warning at 100 % and a louder one at 150 %.
 */
export function computeTimer(input: {
  type: CeremonyType;
  now: Date;
  signedInAt?: string;
  roleSession?: { session_started_at: string; expiration: string };
  expectedMinutes?: number;
  signedOutAt?: string;
}): TimerView | null {
  const startedAt = input.type === 'breakglass-role' ? input.roleSession?.session_started_at : input.signedInAt;
  if (!startedAt) return null;
  const endedAt = input.signedOutAt ?? null;
  const endMs = endedAt ? Date.parse(endedAt) : input.now.getTime();
  const elapsed = Math.max(0, (endMs - Date.parse(startedAt)) / 60_000);
  const expiresAt = input.type === 'breakglass-role' && input.roleSession ? input.roleSession.expiration : null;
  const expected =
    input.type === 'breakglass-role' && input.roleSession
      ? (Date.parse(input.roleSession.expiration) - Date.parse(input.roleSession.session_started_at)) / 60_000
      : (input.expectedMinutes ?? null);
  const ratio = expected && expected > 0 ? elapsed / expected : null;
  const level = ratio === null ? 'ok' : ratio >= 1.5 ? 'critical' : ratio >= 1 ? 'warning' : 'ok';
  const verb = endedAt ? 'lasted' : 'has run';
  const message =
    level === 'critical'
      ? `The session ${verb} ${round1(elapsed)} min, 150 % or more of the expected ${round1(expected!)} min.${endedAt ? ' The postmortem must explain why.' : ' Sign out now.'}`
      : level === 'warning'
        ? `The session ${verb} ${round1(elapsed)} min, past the expected ${round1(expected!)} min.${endedAt ? '' : ' Finish the minimal action and sign out.'}`
        : null;
  return {
    started_at: startedAt,
    ended_at: endedAt,
    elapsed_minutes: round1(elapsed),
    expected_minutes: expected === null ? null : round1(expected),
    ratio: ratio === null ? null : Math.round(ratio * 1000) / 1000,
    level,
    message,
    expires_at: expiresAt,
    remaining_minutes: expiresAt ? round1((Date.parse(expiresAt) - input.now.getTime()) / 60_000) : null,
  };
}
