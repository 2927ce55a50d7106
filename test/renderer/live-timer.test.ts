import { describe, expect, it } from 'vitest';
import type { TimerView } from '../../src-shared/ceremony/state-types';
import { liveTimer, minutesText } from '../../src-renderer/lib/live-timer';

const timer = (over: Partial<TimerView> = {}): TimerView => ({
  started_at: '2026-11-21T10:00:00.000Z',
  ended_at: null,
  elapsed_minutes: 5,
  expected_minutes: 10,
  ratio: 0.5,
  level: 'ok',
  message: null,
  expires_at: null,
  remaining_minutes: null,
  ...over,
});

describe('the session timer between two reads of the state', () => {
  it("ticks on from main's figure and crosses 100 % and 150 % at the right moments", () => {
    expect(liveTimer(timer(), 0)).toMatchObject({ level: 'ok', text: '5:00 of 10:00', running: true });
    expect(liveTimer(timer(), 4 * 60_000 + 59_000).level).toBe('ok');
    expect(liveTimer(timer(), 5 * 60_000)).toMatchObject({ level: 'warning', ratio: 1, text: '10:00 of 10:00' });
    expect(liveTimer(timer(), 10 * 60_000 - 1000).level).toBe('warning');
    expect(liveTimer(timer(), 10 * 60_000)).toMatchObject({ level: 'critical', ratio: 1.5 });
  });

  it('stops at sign-out and never runs backwards on a skewed clock', () => {
    expect(liveTimer(timer({ ended_at: '2026-11-21T10:05:00.000Z' }), 60 * 60_000)).toMatchObject({
      elapsedMinutes: 5,
      running: false,
      level: 'ok',
    });
    expect(liveTimer(timer(), -30_000).elapsedMinutes).toBe(5);
  });

  it("without an expected duration keeps main's level and shows only the elapsed time", () => {
    expect(liveTimer(timer({ expected_minutes: null, ratio: null, level: 'ok' }), 90_000)).toMatchObject({
      ratio: null,
      level: 'ok',
      text: '6:30',
    });
  });

  it('role variant: counts DOWN to the credential expiration, coloured by the time left, and stops at sign-out', () => {
    const role = timer({
      elapsed_minutes: 2,
      expected_minutes: 60,
      expires_at: '2026-11-21T11:00:00.000Z',
      remaining_minutes: 58,
    });
    expect(liveTimer(role, 6000)).toMatchObject({
      text: '57:54 left',
      level: 'ok',
      words: 'until the credentials expire',
    });
    // Two minutes before expiry is never "green, within the expected time".
    expect(liveTimer(role, 56 * 60_000)).toMatchObject({ text: '2:00 left', level: 'critical' });
    expect(liveTimer(role, 46 * 60_000 + 1000).level).toBe('warning');
    expect(liveTimer(role, 45 * 60_000).level).toBe('ok');
    expect(liveTimer(role, 59 * 60_000)).toMatchObject({ text: 'EXPIRED', level: 'critical' });
    const out = liveTimer({ ...role, ended_at: '2026-11-21T10:30:00.000Z' }, 60 * 60_000);
    expect(out).toMatchObject({ running: false, level: 'ok', words: 'signed out — the timer has stopped' });
    expect(out.words).not.toMatch(/sign out now/);
  });

  it('formats minutes as m:ss', () => {
    expect(minutesText(0)).toBe('0:00');
    expect(minutesText(1.5)).toBe('1:30');
    expect(minutesText(75.25)).toBe('75:15');
    expect(minutesText(-3)).toBe('0:00');
  });
});
