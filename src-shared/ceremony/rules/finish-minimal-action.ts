import * as z from 'zod';
import { meaningfulText } from '../text-rules';
import { minimalActionOpen } from './session-order';
import { argsOf, check, defineCommand, entry, refusal as r, ruleOnFirstCheck, text } from './rule-kit';

const summaryRule = ruleOnFirstCheck(() => meaningfulText(10, 2, 2000));
const summaryOf = (a: { summary: string }) => check(summaryRule, a.summary, 'summary', 'summary');

/** Step 6 ends: what the minimal action was, after at least one running-log line. */
export const finishMinimalAction = defineCommand({
  args: () => z.strictObject({ summary: text(2000) }),
  order(s) {
    const open = minimalActionOpen(s);
    if (open) return open;
    // The running log is the definitive record (cleanup runbook, step 1): a summary with no log
    // line behind it would be the only account of the session. Doing nothing is logged too.
    if (s.actions.length === 0) {
      return r(
        'out-of-order',
        'Log what you ran or did first: the running log is the definitive record. If you did nothing, log that (e.g. "did nothing: SSO came back").',
      );
    }
    return undefined;
  },
  decide(_s, a) {
    const summary = summaryOf(a);
    if (!summary.ok) return summary;
    return entry('minimal_action_done', { summary: summary.value });
  },
  recorded: { kind: 'minimal_action_done', args: (p) => argsOf(p, ['summary']), check: summaryOf },
});
