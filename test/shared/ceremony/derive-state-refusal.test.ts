import { describe, expect, it } from 'vitest';
import { deriveCeremonyState } from '../../../src-shared/ceremony/derive-state';
import { historyRuleFindings } from '../../../src-shared/ceremony/history-rules';
import { EXAMPLE_CONFIG } from '../../../src-shared/config/example-config';
import { configSchema } from '../../../src-shared/config/schema';
import type { JournalEntry } from '../../../src-shared/journal/types';

const config = configSchema.parse(EXAMPLE_CONFIG);
const NOW = new Date('2026-11-21T10:01:00.000Z');
const HASH = (n: number) => n.toString(16).padStart(64, '0');

function first(kind: string, payload: JournalEntry['payload']): JournalEntry {
  return {
    ceremony_id: 'bg-test-0001',
    seq: 0,
    kind,
    payload,
    recorded_at: '2026-11-21T10:00:00.000Z',
    prev_hash: HASH(0),
    hash: HASH(1),
  } as JournalEntry;
}

describe('entries that are no ceremony are refused as a value, never thrown', () => {
  it('no ceremony_started at seq 0: not-found, with the reason in words', () => {
    expect(deriveCeremonyState([first('note', { text: 'hello' })], config, NOW)).toEqual({
      ok: false,
      error: { code: 'not-found', message: 'this journal has no ceremony_started entry at seq 0' },
    });
    expect(deriveCeremonyState([], config, NOW)).toMatchObject({ ok: false, error: { code: 'not-found' } });
  });

  it('a ceremony_started whose payload does not parse: not-found, and the history finding says why', () => {
    const entries = [first('ceremony_started', { type: 'no-such-type' })];
    const derived = deriveCeremonyState(entries, config, NOW);
    expect(derived).toMatchObject({
      ok: false,
      error: { code: 'not-found', message: expect.stringMatching(/^seq 0 is not a valid ceremony start: /) },
    });
    const { findings, state } = historyRuleFindings(entries, config, NOW);
    expect(state).toBeNull();
    expect(findings).toContainEqual({ seq: 0, reason: (derived as { error: { message: string } }).error.message });
  });
});
