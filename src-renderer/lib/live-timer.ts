import type { TimerLevel, TimerView } from '../../src-shared/ceremony/state-types';

export interface LiveTimer {
  elapsedMinutes: number;
  expectedMinutes: number | null;
  /** 0..∞; null before the expected duration is known. */
  ratio: number | null;
  level: TimerLevel;
  /** Root: "12:05 of 15:00" (counting up). Role: "57:55 left" (counting down to the expiration). */
  text: string;
  running: boolean;
  /** Role variant: minutes until the credentials expire (negative once expired); null for root. */
  remainingMinutes: number | null;
  /** What the level means, in words (changes at sign-out: a stopped timer asks for nothing). */
  words: string;
}

export function minutesText(minutes: number): string {
  const total = Math.max(0, Math.floor(minutes * 60));
  const m = Math.floor(total / 60);
  const s = total % 60;
  return `${m}:${String(s).padStart(2, '0')}`;
}

/**
 * How close the role's credentials are to expiring. The role session ends when AWS says so,
 * not when a ratio of "expected" time is reached: the last 10 minutes (or the last fifth of a
 * short session) warn, the last 5 minutes are critical.
 */
export function expiryLevel(remainingMinutes: number, lifetimeMinutes: number | null): TimerLevel {
  if (remainingMinutes <= 5) return 'critical';
  if (remainingMinutes <= Math.max(10, (lifetimeMinutes ?? 0) / 5)) return 'warning';
  return 'ok';
}

const UP_WORDS = {
  ok: 'within the expected time',
  warning: 'over the expected time — finish and sign out',
  critical: 'FAR over the expected time (150 %) — sign out now',
} as const;
const DOWN_WORDS = {
  ok: 'until the credentials expire',
  warning: 'left — finish and end the session',
  critical: 'left — end the session now',
} as const;

/**
 * The session timer between two reads of the state: main's figure plus the time since it was
 * read, so it ticks every second without asking main (main's clock stays the only clock). The
 * root session counts up against the expected duration (warning at 100 %, critical at 150 %);
 * the role session counts down to its credential expiration. Both stop at sign-out.
 */
export function liveTimer(timer: TimerView, msSinceRead: number): LiveTimer {
  const running = timer.ended_at === null;
  const since = running ? Math.max(0, msSinceRead) / 60_000 : 0;
  const elapsed = timer.elapsed_minutes + since;
  const expected = timer.expected_minutes;
  const ratio = expected ? elapsed / expected : null;
  if (!running) {
    const text = expected ? `${minutesText(elapsed)} of ${minutesText(expected)}` : minutesText(elapsed);
    return {
      elapsedMinutes: elapsed,
      expectedMinutes: expected,
      ratio,
      level: 'ok',
      text,
      running,
      remainingMinutes: null,
      words: 'signed out — the timer has stopped',
    };
  }
  if (timer.expires_at && timer.remaining_minutes !== null) {
    const remaining = timer.remaining_minutes - since;
    const level = expiryLevel(remaining, expected);
    const text = remaining > 0 ? `${minutesText(remaining)} left` : 'EXPIRED';
    const words = remaining > 0 ? DOWN_WORDS[level] : 'the credentials have expired — record the sign-out';
    return {
      elapsedMinutes: elapsed,
      expectedMinutes: expected,
      ratio,
      level,
      text,
      running,
      remainingMinutes: remaining,
      words,
    };
  }
  const level: TimerLevel = ratio === null ? timer.level : ratio >= 1.5 ? 'critical' : ratio >= 1 ? 'warning' : 'ok';
  const text = expected ? `${minutesText(elapsed)} of ${minutesText(expected)}` : minutesText(elapsed);
  return {
    elapsedMinutes: elapsed,
    expectedMinutes: expected,
    ratio,
    level,
    text,
    running,
    remainingMinutes: null,
    words: UP_WORDS[level],
  };
}
