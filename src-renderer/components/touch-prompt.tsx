import { useAppStore } from '../store';

/** "Touch your key now", whenever the key is waiting; in a drill, a button presses the virtual key. */
export function TouchPrompt() {
  const touchNeeded = useAppStore((s) => s.key.touchNeeded);
  const canSimulate = useAppStore((s) => s.key.status?.can_simulate_touch ?? false);
  const simulate = useAppStore((s) => s.simulateTouch);
  const cancel = useAppStore((s) => s.cancelTap);
  const locking = useAppStore((s) => s.ceremony.busy === 'ceremony:lockStep');
  if (!touchNeeded) return null;
  return (
    <div className="touch-prompt" role="alertdialog" aria-live="assertive" aria-labelledby="touch-title" data-testid="touch-prompt">
      <p id="touch-title" className="touch-title">
        Touch your key now
      </p>
      <p>{canSimulate ? 'DRILL: this is the virtual key. Press the button to simulate the touch.' : 'The key is blinking. Touch the gold contact.'}</p>
      <div className="actions">
        {canSimulate ? (
          <button type="button" className="primary" onClick={() => void simulate()} autoFocus data-testid="simulate-touch">
            Simulate touch (drill)
          </button>
        ) : null}
        {locking ? (
          <button type="button" onClick={() => void cancel()}>
            Cancel the tap
          </button>
        ) : null}
      </div>
    </div>
  );
}
