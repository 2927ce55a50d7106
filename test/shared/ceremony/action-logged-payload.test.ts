import { describe, expect, it } from 'vitest';
import { plainActionLogged } from '../../../src-shared/ceremony/action-logged-payload';
import { ENTRY_SCHEMAS, parseEntryPayload } from '../../../src-shared/ceremony/entry-kinds';
import { seededRng } from '../../support/seeded-rng';

/*
 * The rules check validates running-log payloads by hand when they plainly fit (there are
 * 100,000 in a long ceremony). It may only skip zod where zod accepts: on random well-formed and
 * malformed action_logged payloads, parseEntryPayload must give exactly zod's answer (the value
 * when accepted, the message when refused), and the hand check must accept nothing zod refuses.
 */

const SEED = 0xac7104;
const CASES = 3000;

const TIMES = [
  '2026-11-20T08:10:00.500Z',
  '2026-02-28T23:59:59.999Z',
  '2026-02-29T08:00:00.000Z',
  '2024-02-29T08:00:00.000Z',
  '2026-04-31T08:00:00.000Z',
  '2026-13-01T08:00:00.000Z',
  '2026-00-10T08:00:00.000Z',
  '2026-11-20T24:00:00.000Z',
  '2026-11-20T08:60:00.000Z',
  '2026-11-20T08:10:60.000Z',
  '2026-11-20T08:10:00Z',
  '2026-11-20T08:10:00.5Z',
  '2026-11-20T08:10:00.500+01:00',
  '2026-11-20T08:10:00.500',
  '2026-11-20 08:10:00.500Z',
  '2026-11-20T08:10:00.500z',
  '20261120T081000Z',
  '',
  'yesterday',
  '2026-11-20T08:10:00.500Z\n',
  '０２０２6-11-20T08:10:00.500Z',
];
const TEXTS = ['ran: aws ec2 describe-instances', '', ' ', 'x'];
const PARSED = [
  {
    service: 'ec2',
    operation: 'describe-instances',
    iam_action: 'ec2:DescribeInstances',
    event_source: 'ec2.amazonaws.com',
    read_only: true,
  },
  { service: 'ec2', operation: '', iam_action: 'ec2:X', event_source: 'ec2.amazonaws.com', read_only: true },
];

function payload(rng: ReturnType<typeof seededRng>): unknown {
  const p: Record<string, unknown> = {
    logged_at: rng.int(2) === 0 ? TIMES[0] : rng.pick(TIMES),
    parsed: rng.int(5) === 0 ? [rng.pick(PARSED)] : [],
    text: rng.pick(TEXTS),
    warnings: rng.int(4) === 0 ? ['careful', 'twice'] : [],
  };
  switch (rng.int(13)) {
    case 0:
      delete p[rng.pick(['logged_at', 'parsed', 'text', 'warnings'])];
      break;
    case 1:
      p.extra = 'a pasted secret';
      break;
    case 2:
      p[rng.pick(['logged_at', 'parsed', 'text', 'warnings'])] = rng.pick([null, 1, true, {}, [], 'x', undefined]);
      break;
    case 3:
      p.warnings = ['ok', rng.pick([1, null, {}, ['w']])];
      break;
    case 4:
      return rng.pick([null, [], 'text', 42, Object.create(null), new Date(0)]);
    case 5: {
      const o = Object.create({ inherited: 1 });
      Object.assign(o, p);
      return o;
    }
    case 6:
      p.parsed = 'not a list';
      break;
    case 7:
      // An own member named __proto__, as JSON.parse makes it: a fifth member.
      return JSON.parse(`{"__proto__":${rng.pick(['1', 'null', '{}'])},${JSON.stringify(p).slice(1)}`);
    default:
      break;
  }
  return p;
}

function zodAnswer(p: unknown) {
  const r = ENTRY_SCHEMAS.action_logged.safeParse(p);
  return r.success ? { ok: true, value: r.data } : { ok: false };
}

describe('plainActionLogged', () => {
  it('accepts only what zod accepts, with zod value, and parseEntryPayload keeps zod answer and message', () => {
    const rng = seededRng(SEED);
    let plain = 0;
    let refused = 0;
    for (let i = 0; i < CASES; i++) {
      const p = payload(rng);
      const zod = zodAnswer(p);
      const fast = plainActionLogged(p);
      if (fast) {
        plain += 1;
        expect(zod.ok, `case ${i}: ${JSON.stringify(p)}`).toBe(true);
        expect(fast).toEqual(zod.value);
      }
      const viaParse = parseEntryPayload('action_logged', p);
      expect(viaParse.ok, `case ${i}: ${JSON.stringify(p)}`).toBe(zod.ok);
      if (viaParse.ok) expect(viaParse.value).toEqual(zod.value);
      else {
        refused += 1;
        const issue = ENTRY_SCHEMAS.action_logged.safeParse(p).error!.issues[0]!;
        expect(viaParse.message).toBe(
          `action_logged.${issue.path.length ? issue.path.join('.') : '(payload)'}: ${issue.message}`,
        );
      }
    }
    // The hand check carries the common case, and refusals are exercised.
    expect(plain).toBeGreaterThan(CASES / 10);
    expect(refused).toBeGreaterThan(CASES / 10);
  });

  it('takes the running log of a real ceremony, and leaves a parsed command to zod', () => {
    expect(
      plainActionLogged({
        logged_at: '2026-11-20T08:10:00.500Z',
        parsed: [],
        text: 'ran: aws ec2 describe-instances',
        warnings: [],
      }),
    ).toBeDefined();
    expect(
      plainActionLogged({
        logged_at: '2026-11-20T08:10:00.500Z',
        parsed: [PARSED[0]],
        text: 'ran: aws ec2 describe-instances',
        warnings: [],
      }),
    ).toBeUndefined();
  });
});
