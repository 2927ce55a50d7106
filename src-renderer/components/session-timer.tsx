import { useEffect, useState } from 'react';
import { utcTime } from '../lib/format';
import { liveTimer } from '../lib/live-timer';
import { useAppStore } from '../store';

/** Re-renders once a second while mounted (the figure ticks; main's clock stays the reference). */
function useSecondTick(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const tick = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(tick);
  }, []);
  return now;
}

/**
 * The session timer. Root: elapsed against expected (warning at 100 %, critical at 150 %).
 * Role: a countdown to the credentials' expiration, coloured by the time left. Stopped and
 * quiet once signed out. `compact` is the one in the sticky bar, on every screen.
 */
export function SessionTimer(props: { compact?: boolean }) {
  const timer = useAppStore((s) => s.ceremony.state?.timer ?? null);
  const fetchedAt = useAppStore((s) => s.ceremony.fetchedAt);
  const now = useSecondTick();
  if (!timer) return null;
  const live = liveTimer(timer, now - fetchedAt);
  const level = live.running ? live.level : 'stopped';
  if (props.compact) {
    return (
      <span className={`bar-timer level-${level}`} data-testid="bar-timer" data-level={level}>
        <span className="sr-only">Session timer: </span>
        {live.text}
        <span className="bar-timer-words">
          {' '}
          {live.running ? (live.remainingMinutes !== null ? 'to expiry' : '') : 'stopped'}
        </span>
        {live.level !== 'ok' && live.running ? <span className="sr-only"> ({live.words})</span> : null}
      </span>
    );
  }
  return (
    <div className={`timer level-${level}`} role="timer" aria-live="off" data-testid="timer" data-level={level}>
      <span className="timer-figure">{live.text}</span>
      <span className="timer-words">{live.words}</span>
      {timer.expires_at ? <span className="hint">credentials expire {utcTime(timer.expires_at)}</span> : null}
      {/* The figure ticks silently; the level is announced once, when it changes. */}
      <span className="sr-only" aria-live="polite" data-testid="timer-announcement">
        {live.level === 'ok' || !live.running ? '' : `Session timer: ${live.words}`}
      </span>
    </div>
  );
}
