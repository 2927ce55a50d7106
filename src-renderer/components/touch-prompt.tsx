import { useEffect, useState } from 'react';
import { useAppStore } from '../store';

/** The key service's host deadline for a touch (key-service.ts: touchTimeoutMs, 30 s). */
export const TOUCH_SECONDS = 30;

/**
 * "Touch your key now", whenever the key is waiting: what the tap signs, how long is left, and
 * Escape (or the button) cancels. In a drill, a button presses the virtual key.
 */
export function TouchPrompt() {
  const touchNeeded = useAppStore((s) => s.key.touchNeeded);
  const canSimulate = useAppStore((s) => s.key.status?.can_simulate_touch ?? false);
  const simulate = useAppStore((s) => s.simulateTouch);
  const cancel = useAppStore((s) => s.cancelTap);
  const locking = useAppStore((s) => s.ceremony.busy === 'ceremony:lockStep');
  const signing = useAppStore((s) => (s.ceremony.busy === 'ceremony:lockStep' ? s.ceremony.signing : s.key.busy ? 'enrolling this key for your ceremonies' : null));
  const [left, setLeft] = useState(TOUCH_SECONDS);
  useEffect(() => {
    if (!touchNeeded) return;
    const started = Date.now();
    setLeft(TOUCH_SECONDS);
    const tick = setInterval(() => setLeft(Math.max(0, TOUCH_SECONDS - Math.floor((Date.now() - started) / 1000))), 1000);
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
  return (
    <div className="touch-prompt" role="alertdialog" aria-live="assertive" aria-labelledby="touch-title" aria-describedby="touch-what" data-testid="touch-prompt">
      <p className="touch-title">
        <span id="touch-title">Touch your key now</span>{' '}
        <span className="touch-left" data-testid="touch-countdown">
          ({left} s left)
        </span>
      </p>
      <p id="touch-what" data-testid="touch-what">
        The tap signs: {signing ?? 'the step in progress'}. {canSimulate ? 'DRILL: this is the virtual key — press the button to simulate the touch.' : 'The key is blinking: touch the gold contact.'}
        {locking ? ' Escape cancels.' : ''}
      </p>
      <div className="actions">
        {canSimulate ? (
          <button type="button" className="primary" onClick={() => void simulate()} autoFocus data-testid="simulate-touch">
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
