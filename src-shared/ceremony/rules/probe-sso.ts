import * as z from 'zod';
import { isRoot } from './session-order';
import { defineCommand, isLocked, NEEDS_IO, refusal as r } from './rule-kit';

/** Step 2 (root only): the one SSO try. The service asks STS and appends the outcome. */
export const probeSso = defineCommand({
  args: () => z.strictObject({}),
  order(s) {
    if (!isRoot(s)) return r('out-of-order', 'The breakglass-role ceremony has no SSO probe.');
    // "Try once": an inconclusive answer (a local problem such as an expired token) was not a
    // try of SSO itself, so it earns exactly one more, after the operator fixed the cause.
    if (s.sso_probe && !(s.sso_probe.outcome === 'inconclusive' && s.sso_probe.attempts === 1)) {
      return r(
        'one-try',
        `SSO was already tried ${s.sso_probe.attempts === 1 ? 'once' : 'twice (the first was inconclusive)'} (${s.sso_probe.attempted_at}: ${s.sso_probe.outcome}). The runbook says: try once.`,
      );
    }
    if (s.sso_probe && isLocked(s, 'notify'))
      return r('locked', 'The founders were notified on the SSO answer you had; the SSO check cannot be repeated now.');
    if (!isLocked(s, 'scenario')) return r('out-of-order', 'Choose the scenario and lock it with a tap first.');
    return undefined;
  },
  decide: () => NEEDS_IO,
});
