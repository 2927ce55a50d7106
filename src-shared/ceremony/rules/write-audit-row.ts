import * as z from 'zod';
import { oneLine } from '../text-rules';
import { isRoot } from './session-order';
import {
  check,
  defineCommand,
  entry,
  isLocked,
  refusal as r,
  refuse,
  refuseAt,
  ruleOnFirstCheck,
  text,
} from './rule-kit';

// One line: it is pasted into a single line of the session log (and the audit row).
const failureRule = ruleOnFirstCheck(() => oneLine(5, 2, 500));

/** Step 5 (root): the agent_audit_log row exactly as the runbook has it, written once. */
export const writeAuditRow = defineCommand({
  args: () =>
    z.strictObject({
      incident_channel: text(500),
      /** Only when the root sign-in did not succeed (wrong password, MFA rejected): what happened. The row then says result "failure". */
      sign_in_failed: text(500).optional(),
      expected_session_duration_minutes: z
        .number()
        .int({ error: 'expected whole minutes' })
        .min(1)
        .max(240, { error: 'at most 240 minutes; break-glass is for the minimum action' }),
    }),
  order(s) {
    if (!isRoot(s)) return r('out-of-order', 'The breakglass-role ceremony has no root audit row.');
    if (s.audit_row)
      return r(
        isLocked(s, 'audit_row') ? 'locked' : 'one-try',
        `The audit row is already written (seq ${s.audit_row.seq}); ${isLocked(s, 'audit_row') ? 'corrections are notes' : 'lock it with a tap'}.`,
      );
    if (!isLocked(s, 'sign_in'))
      return r('out-of-order', 'Sign in to the console and lock the sign-in step with a tap first.');
    return undefined;
  },
  decide(s, a, now) {
    const channel = a.incident_channel.trim();
    if (!/^https?:\/\/\S+$/.test(channel) && channel.toUpperCase() !== 'NA') {
      return refuseAt('incident_channel', 'incident channel', 'expected the incident chat link (https://...) or NA');
    }
    if (!s.account || !s.sign_in || !s.scenario)
      return refuse('out-of-order', 'the account, sign-in and scenario must be recorded first');
    let failure: string | undefined;
    if (a.sign_in_failed !== undefined) {
      const said = check(failureRule, a.sign_in_failed, 'sign_in_failed', 'sign-in failed: what happened');
      if (!said.ok)
        return refuseAt(
          'sign_in_failed',
          'sign-in failed: what happened',
          `${said.error.fields?.sign_in_failed ?? 'invalid'} (e.g. "MFA rejected twice")`,
        );
      failure = said.value;
    }
    return entry('audit_row_written', {
      row: {
        timestamp: now.toISOString(),
        actor_id: s.operator.id,
        actor_role: 'break_glass_root',
        action: 'break_glass_root_login',
        resource_type: 'aws_account',
        resource_id: s.account.account_id,
        ip_address: s.sign_in.ip_address,
        user_agent: s.sign_in.user_agent,
        result: failure ? 'failure' : 'success',
        metadata: {
          reason: s.scenario.reason,
          incident_channel: channel.toUpperCase() === 'NA' ? 'NA' : channel,
          expected_session_duration_minutes: a.expected_session_duration_minutes,
          ...(failure ? { failure } : {}),
        },
      },
    });
  },
});
