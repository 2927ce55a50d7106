import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalize, type JsonObject } from '../../../src-shared/canonical-json';
import { entryHash, entryHashWithPayloadText } from '../../../src-main/journal/entry-hash';

const payloads: JsonObject[] = [
  {},
  {
    text: 'ran: aws ec2 terminate-instances --instance-ids i-0abc',
    n: 1.5,
    nested: { z: [1, 'two', null, true], a: '€ "quoted" \\ \n' },
  },
  { '\u20ac': -0, big: 1e21, small: 1e-7, emoji: '😀', list: [] },
];

describe('entry hash', () => {
  it.each(payloads.map((p) => [JSON.stringify(p).slice(0, 40), p] as const))(
    'is SHA-256 over the JCS form of all fields (%s)',
    (_n, payload) => {
      const fields = {
        ceremony_id: 'bg-20261121-x',
        seq: 7,
        kind: 'note',
        payload,
        recorded_at: '2026-11-21T09:00:00.000Z',
        prev_hash: 'a'.repeat(64),
      };
      const reference = createHash('sha256').update(canonicalize(fields)).digest('hex');
      expect(entryHash(fields)).toBe(reference);
      // The fast path over stored canonical text gives the same hash.
      expect(entryHashWithPayloadText(fields, canonicalize(payload))).toBe(reference);
    },
  );
});
