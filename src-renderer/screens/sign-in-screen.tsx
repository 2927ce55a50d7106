import { useState, type FormEvent } from 'react';
import { Field } from '../components/field';
import { LockPanel } from '../components/lock-panel';
import { Refusal } from '../components/refusal';
import { Screen } from '../components/screen';
import { TimePicker } from '../components/time-picker';
import { WhyNot } from '../components/why-not';
import { utcTime } from '../lib/format';
import { useAppStore } from '../store';

/** The AWS root sign-in page, opened in the system browser through main's allowlist. */
export const AWS_ROOT_SIGNIN_URL = 'https://signin.aws.amazon.com/console';

/**
 * Step 4: pick the account, sign in OUTSIDE the app, record the time. There is no password or MFA
 * field here, and never will be: the app must not see them. Picking the account and opening the
 * console are one press; in a drill the real AWS sign-in page is never opened.
 */
export function SignInScreen() {
  const state = useAppStore((s) => s.ceremony.state)!;
  const command = useAppStore((s) => s.command);
  const recordAndLock = useAppStore((s) => s.recordAndLock);
  const openConsole = useAppStore((s) => s.openConsole);
  const consoleOpened = useAppStore((s) => s.ceremony.consoleOpened);
  const setConsoleOpened = useAppStore((s) => s.setConsoleOpened);
  const busy = useAppStore((s) => s.ceremony.busy);
  const [at, setAt] = useState('');
  const [ip, setIp] = useState('');
  const [agent, setAgent] = useState('');
  const [consoleError, setConsoleError] = useState<string | null>(null);
  const locked = state.steps.find((s) => s.id === 'sign_in')?.status === 'locked';
  const open = async (name: string) => {
    setConsoleError(null);
    if (state.account?.name !== name && !(await command('ceremony:selectAccount', { account_name: name }))) return;
    if (state.drill) {
      setConsoleOpened(true);
      return;
    }
    const error = await openConsole(AWS_ROOT_SIGNIN_URL);
    setConsoleError(error);
    setConsoleOpened(error === null);
  };
  const record = (e: FormEvent) => {
    e.preventDefault();
    const args = {
      ...(at ? { signed_in_at: at } : {}),
      ...(ip.trim() ? { ip_address: ip.trim() } : {}),
      ...(agent.trim() ? { user_agent: agent.trim() } : {}),
    };
    void (state.sign_in
      ? command('ceremony:recordSignIn', args)
      : recordAndLock('ceremony:recordSignIn', args, 'sign_in'));
  };
  const refusal = (path: string) => ({ channels: ['ceremony:recordSignIn'], path });
  return (
    <Screen
      id="sign_in"
      title="Sign in to the AWS console"
      lead="Pick the account. Sign in in your browser with the root user, password and MFA. Breakglass never asks for them."
    >
      {locked ? null : (
        <div className="table-wrap">
          <table className="accounts" data-testid="accounts">
            <caption>Accounts (where the credential lives — never the credential itself)</caption>
            <thead>
              <tr>
                <th scope="col">Account</th>
                <th scope="col">Account ID</th>
                <th scope="col">Where the credential lives</th>
              </tr>
            </thead>
            <tbody>
              {state.accounts.map((a) => (
                <tr key={a.account_id} className={state.account?.name === a.name ? 'selected' : undefined}>
                  <td>
                    <button
                      type="button"
                      className={state.account ? undefined : 'primary'}
                      disabled={busy !== null || !state.allowed.select_account.ok}
                      onClick={() => void open(a.name)}
                      data-testid={`open-console-${a.name}`}
                    >
                      {state.drill ? 'Use' : 'Open console for'} {a.name}
                    </button>
                    <span className="hint">{a.principal}</span>
                  </td>
                  <td>
                    <code>{a.account_id}</code>
                  </td>
                  <td>{a.credential_location}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <WhyNot allowed={state.allowed.select_account} />
          <Refusal channels={['ceremony:selectAccount']} />
        </div>
      )}
      {state.account ? (
        <div className="recorded" data-testid="selected-account">
          <h2>
            Account: {state.account.name} <code>{state.account.account_id}</code>
          </h2>
          <p>Credential: {state.account.credential_location}</p>
          {consoleOpened ? (
            <p className="ok-text" data-testid="console-opened" role="status">
              {state.drill
                ? 'DRILL: the AWS console was not opened — a drill never signs in to AWS. Go on as if you had signed in.'
                : 'The AWS console sign-in is open in your browser. Sign in there with the root user, password and MFA.'}
            </p>
          ) : null}
          {consoleError ? (
            <p className="refusal" role="alert">
              {consoleError}
            </p>
          ) : null}
        </div>
      ) : null}
      {state.sign_in ? (
        <p className="ok-text" data-testid="signed-in">
          Signed in at {utcTime(state.sign_in.signed_in_at)} (IP {state.sign_in.ip_address}, browser{' '}
          {state.sign_in.user_agent})
        </p>
      ) : null}
      {state.account && !locked ? (
        <form onSubmit={record}>
          {/* Once recorded, the key tap is the next step; recording again is only a correction. */}
          <h2>{state.sign_in ? 'Correct the sign-in record (before locking)' : 'When you are signed in'}</h2>
          <TimePicker
            id="signin-at"
            label="Signed in at"
            value={at}
            onChange={setAt}
            refusal={refusal('signed_in_at')}
          />
          <details className="side-form">
            <summary>IP address and browser (optional)</summary>
            <Field
              id="signin-ip"
              label="Your current IP address (optional)"
              hint="as the audit row should show it; 'unknown' if you cannot tell"
              value={ip}
              onChange={setIp}
              refusal={refusal('ip_address')}
            />
            <Field
              id="signin-ua"
              label="Browser user agent (optional)"
              hint="e.g. Firefox 128 on macOS"
              value={agent}
              onChange={setAgent}
              refusal={refusal('user_agent')}
            />
          </details>
          <button
            type="submit"
            className={state.sign_in ? undefined : 'primary'}
            disabled={busy !== null || !state.allowed.record_sign_in.ok}
            data-testid="record-sign-in"
            data-next={state.sign_in ? undefined : 'true'}
          >
            {state.sign_in
              ? 'Record again — replaces the record above'
              : 'I have signed in — record and lock with key tap'}
          </button>
          <WhyNot allowed={state.allowed.record_sign_in} />
          <Refusal channels={['ceremony:recordSignIn']} />
        </form>
      ) : null}
      <LockPanel step="sign_in" what="the sign-in" />
    </Screen>
  );
}
