import * as z from 'zod';
import { detectAntiPatterns, parseAwsCliLine } from '../../aws/parse-cli-line';
import { meaningfulText } from '../text-rules';
import { minimalActionOpen } from './session-order';
import { argsOf, check, defineCommand, entry, iso, plannedTime, ruleOnFirstCheck, text } from './rule-kit';

const actionRule = ruleOnFirstCheck(() => meaningfulText(3, 1, 2000));
const actionOf = (a: { text: string }) => check(actionRule, a.text, 'text', 'action');

/** Step 6: one line of the running log, parsed (`service:operation`) and checked for anti-patterns. */
export const logAction = defineCommand({
  args: () => z.strictObject({ text: text(2000), logged_at: iso.optional() }),
  order: minimalActionOpen,
  decide(s, a) {
    const said = actionOf(a);
    if (!said.ok) return said;
    const at = plannedTime(a.logged_at, s, 'logged_at', 'logged at');
    if (!at.ok) return at;
    const parsed = parseAwsCliLine(said.value);
    const warnings = [...detectAntiPatterns(said.value, parsed)];
    if (s.type === 'root-login' && /\b(brows|look(ing)? around|poke around|just checking)/i.test(said.value)) {
      warnings.push(
        'runbook: "Do not browse. Do not change unrelated settings." Perform only the minimum action required.',
      );
    }
    return entry('action_logged', { text: said.value, logged_at: at.value, parsed, warnings });
  },
  recorded: { kind: 'action_logged', args: (p) => argsOf(p, ['text', 'logged_at']), check: actionOf },
});
