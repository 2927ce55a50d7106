import * as z from 'zod';
import { CHANNELS } from '../entry-kinds';
import { isRoot } from './session-order';
import {
  defineCommand,
  entry,
  isLocked,
  iso,
  plannedTime,
  refusal as r,
  refuse,
  refuseAt,
  stepStatus,
} from './rule-kit';

/** Step 3: each founder told before invoking, by a channel they take, with the witness code. */
export const notifyFounder = defineCommand({
  args: () =>
    z.strictObject({
      contact_id: z.string().min(1),
      channel: z.enum(CHANNELS, { error: 'expected "text" or "call"' }),
      notified_at: iso.optional(),
      acknowledged: z.boolean(),
      acknowledged_at: iso.optional(),
    }),
  order(s) {
    const root = isRoot(s);
    if (isLocked(s, 'notify')) return r('locked', 'The notify step is locked. Corrections are notes now.');
    if (!isLocked(s, 'scenario')) return r('out-of-order', 'Choose the scenario and lock it with a tap first.');
    if (root && !s.sso_probe) return r('out-of-order', 'Confirm SSO is unavailable first (one try).');
    if (root && stepStatus(s, 'sso_probe')?.status === 'blocked') {
      return r(
        'not-authorised',
        'SSO works: the "SSO down" scenario cannot proceed. Use the standard SSO path and abort this ceremony.',
      );
    }
    return undefined;
  },
  decide(s, a) {
    const f = s.founders.find((x) => x.contact_id === a.contact_id);
    if (!f)
      return refuse(
        'not-found',
        `"${a.contact_id}" is not a founder to notify (${s.founders.map((x) => x.contact_id).join(', ')})`,
      );
    if (!f.channels.includes(a.channel))
      return refuse('invalid-input', `${f.name} is reached by ${f.channels.join(' or ')}, not ${a.channel}`);
    const at = plannedTime(a.notified_at, s, 'notified_at', 'notified at');
    if (!at.ok) return at;
    if (!a.acknowledged && a.acknowledged_at)
      return refuseAt('acknowledged_at', 'acknowledged at', 'given, but acknowledged is false');
    let ackAt: string | undefined;
    if (a.acknowledged) {
      const t = plannedTime(a.acknowledged_at, s, 'acknowledged_at', 'acknowledged at');
      if (!t.ok) return t;
      if (Date.parse(t.value) < Date.parse(at.value))
        return refuseAt('acknowledged_at', 'acknowledged at', 'before the notification');
      ackAt = t.value;
    }
    // Every founder writes down the same code: the head when the first one was told.
    const anchor = s.witness.notify ?? s.witness.current;
    return entry('founder_notified', {
      contact_id: f.contact_id,
      name: f.name,
      channel: a.channel,
      notified_at: at.value,
      acknowledged: a.acknowledged,
      acknowledged_at: ackAt,
      witness_code: anchor.text,
      witness_seq: anchor.seq,
      witness_head_hash: anchor.head_hash,
      witness_from: anchor.from === 'signature' ? 'signature' : undefined,
    });
  },
});
