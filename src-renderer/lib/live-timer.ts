import type { TimerLevel, TimerView } from '../../src-shared/ceremony/state-types';

export interface LiveTimer {
  elapsedMinutes: number;
  expectedMinutes: number | null;
  /** 0..∞; null before the expected duration is known. */
  ratio: number | null;
  level: TimerLevel;
  /** "12:05 of 15:00", minutes:seconds. */
  text: string;
  running: boolean;
}

export function minutesText(minutes: number): string {
  const total = Math.max(0, Math.floor(minutes * 60));
  const m = Math.floor(total / 60);
  const s = total % 60;
  return `${m}:${String(s).padStart(2, '0')}`;
}

/**
 * The session timer between two reads of the state: main's figure plus the time since it was
 * read, so it ticks every second without asking main. Warning at 100 %, critical at 150 %, as
 * the ceremony's own timer does.
 */
export function liveTimer(timer: TimerView, msSinceRead: number): LiveTimer {
  const running = timer.ended_at === null;
  const elapsed = timer.elapsed_minutes + (running ? Math.max(0, msSinceRead) / 60_000 : 0);
  const expected = timer.expected_minutes;
  const ratio = expected ? elapsed / expected : null;
  const level: TimerLevel = ratio === null ? timer.level : ratio >= 1.5 ? 'critical' : ratio >= 1 ? 'warning' : 'ok';
  const text = expected ? `${minutesText(elapsed)} of ${minutesText(expected)}` : minutesText(elapsed);
  return { elapsedMinutes: elapsed, expectedMinutes: expected, ratio, level, text, running };
}
