import * as z from 'zod';
import { meaningfulText } from '../text-rules';
import { argsOf, check, defineCommand, entry, refusal as r, ruleOnFirstCheck, text } from './rule-kit';

const abortRule = ruleOnFirstCheck(() => meaningfulText(5, 2, 1000));
const reasonOf = (a: { reason: string }) => check(abortRule, a.reason, 'reason', 'abort reason');

/** Abort, with a reason; never while signed in (sign out instead, so no session is left open). */
export const abortCeremony = defineCommand({
  args: () => z.strictObject({ reason: text(1000) }),
  order(s) {
    if (s.sign_out) return r('finished', 'The session is over; there is nothing to abort. Add a note instead.');
    if (s.sign_in || s.role_session)
      return r(
        'out-of-order',
        'You are signed in: sign out (and record it) instead of aborting, so no privileged session is left open.',
      );
    return undefined;
  },
  decide(_s, a) {
    const reason = reasonOf(a);
    if (!reason.ok) return reason;
    return entry('ceremony_aborted', { reason: reason.value });
  },
  recorded: { kind: 'ceremony_aborted', args: (p) => argsOf(p, ['reason']), check: reasonOf },
});
