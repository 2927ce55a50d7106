import { useEffect, useState } from 'react';
import { useAppStore } from '../store';

/** Whole seconds left of main's deadline, `elapsedMs` after main's figure arrived. */
export function secondsLeft(deadline: { timeoutMs: number }, elapsedMs: number): number {
  return Math.max(0, Math.ceil((deadline.timeoutMs - Math.max(0, elapsedMs)) / 1000));
}

/**
 * "Touch your key now", whenever the key is waiting: what the tap signs, how long is left, and
 * Escape (or the button) cancels. In a drill, a button presses the virtual key.
 */
export function TouchPrompt() {
  const touchNeeded = useAppStore((s) => s.key.touchNeeded);
  // Main's transport deadline (key:touch): the countdown ends when main cancels, not on a guess here.
  const deadline = useAppStore((s) => s.touchDeadline);
  const canSimulate = useAppStore((s) => s.key.status?.can_simulate_touch ?? false);
  const simulate = useAppStore((s) => s.simulateTouch);
  const cancel = useAppStore((s) => s.cancelTap);
  const locking = useAppStore((s) => s.ceremony.busy === 'ceremony:lockStep');
  const signing = useAppStore((s) =>
    s.ceremony.busy === 'ceremony:lockStep'
      ? s.ceremony.signing
      : s.key.busy
        ? 'enrolling this key for your ceremonies'
        : null,
  );
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!touchNeeded) return;
    setNow(Date.now());
    const tick = setInterval(() => setNow(Date.now()), 250);
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape' && locking) {
        e.preventDefault();
        void cancel();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => {
      clearInterval(tick);
      window.removeEventListener('keydown', onKey);
    };
  }, [touchNeeded, locking, cancel]);
  if (!touchNeeded) return null;
  const left = deadline ? secondsLeft(deadline, now - deadline.receivedAt) : null;
  return (
    <div
      className="touch-prompt"
      role="alertdialog"
      aria-live="assertive"
      aria-labelledby="touch-title"
      aria-describedby="touch-what"
      data-testid="touch-prompt"
    >
      <p className="touch-title">
        <span id="touch-title">Touch your key now</span>{' '}
        {left === null ? null : (
          <span className="touch-left" data-testid="touch-countdown" data-timeout-ms={deadline?.timeoutMs}>
            ({left} s left)
          </span>
        )}
      </p>
      <p id="touch-what" data-testid="touch-what">
        The tap signs: {signing ?? 'the step in progress'}.{' '}
        {canSimulate
          ? 'DRILL: this is the virtual key — press the button to simulate the touch.'
          : 'The key is blinking: touch the gold contact.'}
        {locking ? ' Escape cancels.' : ''}
      </p>
      <div className="actions">
        {canSimulate ? (
          <button
            type="button"
            className="primary"
            onClick={() => void simulate()}
            autoFocus
            data-testid="simulate-touch"
          >
            Simulate touch (drill)
          </button>
        ) : null}
        {locking ? (
          <button type="button" onClick={() => void cancel()} data-testid="cancel-tap">
            Cancel the tap (Esc)
          </button>
        ) : null}
      </div>
    </div>
  );
}
