import { describe, expect, it } from 'vitest';
import { deriveCeremonyState } from '../../src-shared/ceremony/derive-state';
import type { CeremonyState } from '../../src-shared/ceremony/state-types';
import { EXAMPLE_CONFIG } from '../../src-shared/config/example-config';
import { configSchema } from '../../src-shared/config/schema';
import { utcTime, optionalIso } from '../../src-renderer/lib/format';
import { pickScreen } from '../../src-renderer/lib/pick-screen';

const config = configSchema.parse(EXAMPLE_CONFIG);
const HASH = (n: number) => n.toString(16).padStart(64, '0');

/** A real derived state from a hand-made journal start, then the fields the router reads. */
function state(over: Partial<CeremonyState>): CeremonyState {
  const base = deriveCeremonyState(
    [
      {
        ceremony_id: 'bg-test-0001',
        seq: 0,
        kind: 'ceremony_started',
        payload: {
          type: 'root-login',
          drill: true,
          operator: { id: config.principals[0]!.id, name: 'Taha' },
          app_version: '0.1.0',
          config_source: 'test',
        },
        recorded_at: '2026-11-21T10:00:00.000Z',
        prev_hash: HASH(0),
        hash: HASH(1),
      },
    ],
    config,
    new Date('2026-11-21T10:01:00.000Z'),
  );
  if (!base.ok) throw new Error(base.error.message);
  return { ...base.value, ...over };
}

describe('which screen the window shows, from the ceremony state alone', () => {
  it('no ceremony: the start screen; a fresh ceremony: the scenario gate', () => {
    expect(pickScreen(null, null)).toBe('start');
    const fresh = state({});
    expect(fresh.current_step).toBe('scenario');
    expect(pickScreen(fresh, null)).toBe('scenario');
  });

  it('follows current_step; after sign-out the after-care; after an abort the aborted screen', () => {
    expect(pickScreen(state({ current_step: 'audit_row' }), null)).toBe('audit_row');
    expect(pickScreen(state({ phase: 'aftercare', current_step: null }), null)).toBe('aftercare');
    expect(pickScreen(state({ phase: 'aborted', current_step: null }), null)).toBe('aborted');
  });

  it('looks back only at steps that are not pending (going back never jumps ahead)', () => {
    const s = state({});
    const steps = s.steps.map((step, i) => ({
      ...step,
      status: i === 0 ? ('locked' as const) : i === 1 ? ('open' as const) : ('pending' as const),
    }));
    const mid = { ...s, steps, current_step: 'sso_probe' as const };
    expect(pickScreen(mid, 'scenario')).toBe('scenario');
    expect(pickScreen(mid, 'sign_out')).toBe('sso_probe');
    expect(pickScreen(mid, 'sso_probe')).toBe('sso_probe');
  });
});

describe('times on screen', () => {
  it('are UTC and say so; bad input is shown as it is, not hidden', () => {
    expect(utcTime('2026-11-21T10:00:00.000+01:00')).toBe('2026-11-21 09:00:00 UTC');
    expect(utcTime('not a time')).toBe('not a time');
    expect(utcTime(null)).toBe('');
  });
  it('an empty optional time means "now" (main\'s clock)', () => {
    expect(optionalIso('  ')).toBeUndefined();
    expect(optionalIso(' 2026-11-21T10:00:00Z ')).toBe('2026-11-21T10:00:00Z');
  });
});
