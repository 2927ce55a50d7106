import * as z from 'zod';
import { parseAssumeRoleOutput } from '../assume-role-output';
import { minutesBetween, normaliseIso } from '../text-rules';
import { isRoot, notifyLockedFirst } from './session-order';
import { defineCommand, entry, isLocked, iso, plannedTime, refusal as r, refuse, refuseAt, text } from './rule-kit';

/** Step 4r (breakglass-role): the role session's ARN, start and expiration, once per ceremony. */
export const recordRoleSession = defineCommand({
  args: () =>
    z.discriminatedUnion('source', [
      // The pasted `aws sts assume-role` output holds secrets; only Expiration and the ARN are kept.
      z.strictObject({
        source: z.literal('sts'),
        assume_role_output: text(20_000),
        session_started_at: iso.optional(),
      }),
      z.strictObject({
        source: z.literal('vault'),
        role_arn: z.string().min(1),
        session_started_at: iso,
        expiration: iso,
      }),
    ]),
  order(s) {
    if (isRoot(s)) return r('out-of-order', 'Only the breakglass-role ceremony records a role session.');
    if (isLocked(s, 'role_session')) {
      return r(
        'locked',
        'This ceremony already has its role session. A renewal is a separate incident: start a new ceremony linked to this one, with its own justification and notification.',
      );
    }
    return notifyLockedFirst(s);
  },
  decide(s, a) {
    let roleArn: string;
    let started: string;
    let expiration: string;
    if (a.source === 'sts') {
      const facts = parseAssumeRoleOutput(a.assume_role_output);
      if (!facts.ok) return refuseAt('assume_role_output', 'assume-role output', facts.message);
      roleArn = facts.value.role_arn;
      expiration = facts.value.expiration;
      const t = plannedTime(a.session_started_at, s, 'session_started_at', 'session started at');
      if (!t.ok) return t;
      started = t.value;
    } else {
      if (!/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/.test(a.role_arn))
        return refuseAt('role_arn', 'role arn', 'expected arn:aws:iam::<account>:role/<name>');
      roleArn = a.role_arn;
      const t = plannedTime(a.session_started_at, s, 'session_started_at', 'session started at');
      if (!t.ok) return t;
      started = t.value;
      expiration = normaliseIso(a.expiration);
    }
    const lifetime = minutesBetween(started, expiration);
    if (lifetime <= 0)
      return refuseAt('expiration', 'expiration', 'not after the session start (the credentials have already expired)');
    if (lifetime > 12 * 60)
      return refuseAt(
        'expiration',
        'expiration',
        'more than 12 hours after the session start; that is not the time-limited breakglass role',
      );
    if (s.configured_role) {
      const name = (arn: string) => `${arn.split(':')[4]}/${arn.split('/').at(-1)}`;
      if (name(roleArn) !== name(s.configured_role.role_arn)) {
        return refuse(
          'not-authorised',
          `role: ${roleArn} is not the configured breakglass role ${s.configured_role.role_arn}`,
        );
      }
    }
    const scenario = s.scenario?.evidence ?? {};
    return entry('role_session_started', {
      role_arn: roleArn,
      approver: scenario.approver ?? 'unknown',
      cleanup_owner: scenario.cleanup_owner ?? 'unknown',
      session_started_at: started,
      expiration,
      source: a.source,
    });
  },
});
