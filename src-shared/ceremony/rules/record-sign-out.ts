import * as z from 'zod';
import { minutesBetween, oneLine } from '../text-rules';
import { ok } from '../../result';
import { isRoot } from './session-order';
import {
  argsOf,
  check,
  defineCommand,
  entry,
  isLocked,
  iso,
  plannedTime,
  refusal as r,
  refuse,
  ruleOnFirstCheck,
  refuseAt,
  text,
} from './rule-kit';

// One line: it is pasted into a single line of the session log.
const returnRule = ruleOnFirstCheck(() => oneLine(3, 1, 300));
/** When back to normal, if said (blank is not said): the checked text, or undefined. */
const returnOf = (a: { expected_return_to_normal?: string }) =>
  a.expected_return_to_normal !== undefined && a.expected_return_to_normal.trim() !== ''
    ? check(returnRule, a.expected_return_to_normal, 'expected_return_to_normal', 'expected return to normal')
    : ok(undefined);

/** Step 7: the session is over; never before the audit row (it is the evidence artifact). */
export const recordSignOut = defineCommand({
  args: () => z.strictObject({ signed_out_at: iso.optional(), expected_return_to_normal: text(300).optional() }),
  order(s) {
    const root = isRoot(s);
    if (isLocked(s, 'sign_out')) return r('locked', 'The sign-out step is locked. Corrections are notes now.');
    if (root && !isLocked(s, 'audit_row'))
      return r(
        'out-of-order',
        'Sign-out before the audit row is refused: write the agent_audit_log row and lock it first; it is the evidence artifact.',
      );
    if (!root && !isLocked(s, 'role_session')) return r('out-of-order', 'Record the role session first.');
    if (s.minimal_action_summary === null && s.audit_row?.result !== 'failure')
      return r('out-of-order', 'Say what the minimal action was (finish the minimal-action step) first.');
    return undefined;
  },
  decide(s, a) {
    const at = plannedTime(a.signed_out_at, s, 'signed_out_at', 'signed out at');
    if (!at.ok) return at;
    const from = s.type === 'root-login' ? s.sign_in?.signed_in_at : s.role_session?.session_started_at;
    if (!from) return refuse('out-of-order', 'there is no session start to sign out of');
    const duration = minutesBetween(from, at.value);
    if (duration < 0) return refuseAt('signed_out_at', 'signed out at', 'before the session started');
    const said = returnOf(a);
    if (!said.ok) return said;
    const back = said.value;
    return entry('signed_out', {
      signed_out_at: at.value,
      duration_minutes: Math.round(duration * 10) / 10,
      ...(back ? { expected_return_to_normal: back } : {}),
    });
  },
  recorded: {
    kind: 'signed_out',
    args: (p) => argsOf(p, ['signed_out_at', 'expected_return_to_normal']),
    check: returnOf,
  },
});
