import { pickScreen } from '../lib/pick-screen';
import { useAppStore } from '../store';
import { SessionTimer } from './session-timer';

/** Which mode the window is in: the ceremony's own, else the choice on the start screen. */
function useDrill(): boolean {
  return useAppStore((s) =>
    s.ceremony.state ? s.ceremony.state.drill : (s.app.info?.drill_only ?? false) || s.ceremony.startDrill,
  );
}

/** "Step 3 of 7: Notify the founders" (or where the window is when it is not on a step). */
function useWhere(): string {
  return useAppStore((s) => {
    const state = s.ceremony.state;
    if (s.app.showJournal) return 'Journal';
    if (!state) return 'Start — nothing recorded yet';
    const screen = pickScreen(state, s.ceremony.viewing);
    if (screen === 'aborted') return 'Aborted';
    if (screen === 'aftercare') return 'After the glass (24 h)';
    const i = state.steps.findIndex((step) => step.id === screen);
    const title = state.steps[i]?.title ?? screen;
    return `Step ${i + 1} of ${state.steps.length}: ${title}${s.ceremony.viewing ? ' (looking back)' : ''}`;
  });
}

/**
 * Mode, step and timer, stuck to the top of the window at every size: at 3 a.m. nobody should
 * have to scroll to learn whether this is real. LIVE is marked as loudly as DRILL.
 */
export function ModeBar() {
  const drill = useDrill();
  const where = useWhere();
  return (
    <div
      className={`mode-bar ${drill ? 'mode-drill' : 'mode-live'}`}
      data-testid="mode-bar"
      data-mode={drill ? 'drill' : 'live'}
    >
      {drill ? (
        <strong className="mode-badge" data-testid="drill-banner">
          DRILL{' '}
          <span className="mode-detail">— virtual key, simulated SSO outage. Nothing here is a real break-glass.</span>
        </strong>
      ) : (
        <strong className="mode-badge" data-testid="live-banner">
          LIVE <span className="mode-detail">— real root credentials, real YubiKey. This is not a drill.</span>
        </strong>
      )}
      <span className="mode-step" data-testid="bar-step">
        {where}
      </span>
      <SessionTimer compact />
    </div>
  );
}

/** While the runbook's example tables stand in for a configuration file. */
export function ConfigNotice() {
  const config = useAppStore((s) => s.app.config);
  if (!config?.warning) return null;
  return (
    <div className="config-notice" role="status" data-testid="config-notice">
      {config.warning}
    </div>
  );
}
