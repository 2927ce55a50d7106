import type { ReactElement } from 'react';
import { ConfigNotice, DrillBanner } from './components/drill-banner';
import { AbortForm, NoteForm } from './components/note-form';
import { PinPrompt } from './components/pin-prompt';
import { ProgressRail } from './components/progress-rail';
import { FocusKeeper } from './components/focus-keeper';
import { StatusBar } from './components/status-bar';
import { TouchPrompt } from './components/touch-prompt';
import { JournalStatusView } from './features/journal/journal-status-view';
import { pickScreen, type ScreenId } from './lib/pick-screen';
import { AbortedScreen } from './screens/aborted-screen';
import { AftercareScreen } from './screens/aftercare-screen';
import { AuditRowScreen } from './screens/audit-row-screen';
import { ConfigErrorScreen } from './screens/config-error-screen';
import { MinimalActionScreen } from './screens/minimal-action-screen';
import { NotifyScreen } from './screens/notify-screen';
import { RoleSessionScreen } from './screens/role-session-screen';
import { ScenarioScreen } from './screens/scenario-screen';
import { SignInScreen } from './screens/sign-in-screen';
import { SignOutScreen } from './screens/sign-out-screen';
import { SsoScreen } from './screens/sso-screen';
import { StartScreen } from './screens/start-screen';
import { useAppStore } from './store';

const SCREENS: Record<ScreenId, () => ReactElement | null> = {
  start: StartScreen,
  scenario: ScenarioScreen,
  sso_probe: SsoScreen,
  notify: NotifyScreen,
  sign_in: SignInScreen,
  role_session: RoleSessionScreen,
  audit_row: AuditRowScreen,
  minimal_action: MinimalActionScreen,
  sign_out: SignOutScreen,
  aftercare: AftercareScreen,
  aborted: AbortedScreen,
};

export function App() {
  const state = useAppStore((s) => s.ceremony.state);
  const viewing = useAppStore((s) => s.ceremony.viewing);
  const showJournal = useAppStore((s) => s.app.showJournal);
  const appError = useAppStore((s) => s.app.error);
  const configInvalid = useAppStore((s) => s.app.config?.source === 'invalid');
  const leave = useAppStore((s) => s.leaveCeremony);
  const view = useAppStore((s) => s.view);
  const screen = pickScreen(state, viewing);
  const Current = SCREENS[screen];
  return (
    <div className={`app${state?.drill ? ' is-drill' : ''}`}>
      <DrillBanner />
      <ConfigNotice />
      <StatusBar />
      <PinPrompt />
      <TouchPrompt />
      <FocusKeeper />
      {appError ? (
        <p className="refusal" role="alert">
          Breakglass cannot reach its core: {appError}
        </p>
      ) : null}
      <div className="layout">
        {state && !showJournal ? <ProgressRail /> : null}
        <main className="main" key={showJournal ? 'journal' : screen}>
          {showJournal ? (
            <JournalStatusView />
          ) : configInvalid ? (
            <ConfigErrorScreen />
          ) : (
            <>
              {viewing && screen === viewing ? (
                <p className="viewing" role="status">
                  You are looking back at a locked step. It cannot be changed; add a note to correct it.{' '}
                  <button type="button" className="link" onClick={() => view(null)}>
                    Back to the current step
                  </button>
                </p>
              ) : null}
              <Current />
              {state ? (
                <div className="side-forms">
                  {screen !== 'aborted' ? <NoteForm /> : null}
                  {state.phase === 'ceremony' && screen !== 'sso_probe' ? <AbortForm /> : null}
                  <button type="button" className="link" onClick={leave} data-testid="leave">
                    Leave this screen (the ceremony stays in the journal)
                  </button>
                </div>
              ) : null}
            </>
          )}
        </main>
      </div>
    </div>
  );
}
