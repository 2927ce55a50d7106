import * as z from 'zod';
import { signInOpen } from './session-order';
import { defineCommand, entry, iso, plannedTime, refusal as r, refuse, refuseAt, text } from './rule-kit';

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const IPV6 = /^[0-9a-f:]+$/i;

/** Step 4 (root): when, from where and with what the operator signed in, never before notify. */
export const recordSignIn = defineCommand({
  args: () =>
    z.strictObject({
      signed_in_at: iso.optional(),
      ip_address: text(64).optional(),
      user_agent: text(512).optional(),
    }),
  order(s) {
    const open = signInOpen(s);
    if (open) return open;
    if (!s.account) return r('out-of-order', 'Pick the account from the table first.');
    return undefined;
  },
  decide(s, a) {
    const at = plannedTime(a.signed_in_at, s, 'signed_in_at', 'signed in at');
    if (!at.ok) return at;
    const notifyLock = s.steps.find((x) => x.id === 'notify')?.locked_seq;
    const lastNotice = Math.max(
      ...s.founders.map((f) => (f.notification ? Date.parse(f.notification.notified_at) : 0)),
    );
    if (notifyLock !== null && Date.parse(at.value) < lastNotice) {
      return refuse(
        'out-of-order',
        'signed in at: before the founders were notified. The runbook requires notifying BEFORE invoking; if that is what happened, record it as a note and abort.',
      );
    }
    const ip = (a.ip_address ?? '').trim() || 'unknown';
    if (ip !== 'unknown' && !IPV4.test(ip) && !(IPV6.test(ip) && ip.includes(':')))
      return refuseAt('ip_address', 'ip address', 'expected an IPv4 or IPv6 address, or "unknown"');
    const ua = (a.user_agent ?? '').trim() || 'unknown';
    return entry('signed_in', { signed_in_at: at.value, ip_address: ip, user_agent: ua });
  },
});
