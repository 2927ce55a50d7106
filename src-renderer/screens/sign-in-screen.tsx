import { useState, type FormEvent } from 'react';
import { Field } from '../components/field';
import { LockPanel } from '../components/lock-panel';
import { Refusal } from '../components/refusal';
import { Screen } from '../components/screen';
import { WhyNot } from '../components/why-not';
import { optionalIso, utcTime } from '../lib/format';
import { useAppStore } from '../store';

/** The AWS root sign-in page, opened in the system browser through main's allowlist. */
export const AWS_ROOT_SIGNIN_URL = 'https://signin.aws.amazon.com/console';

/**
 * Step 4: pick the account, sign in OUTSIDE the app, record the time. There is no password or MFA
 * field here, and never will be: the app must not see them.
 */
export function SignInScreen() {
  const state = useAppStore((s) => s.ceremony.state)!;
  const command = useAppStore((s) => s.command);
  const openConsole = useAppStore((s) => s.openConsole);
  const busy = useAppStore((s) => s.ceremony.busy);
  const [account, setAccount] = useState(state.account?.name ?? '');
  const [at, setAt] = useState('');
  const [ip, setIp] = useState('');
  const [agent, setAgent] = useState('');
  const [consoleError, setConsoleError] = useState<string | null>(null);
  const locked = state.steps.find((s) => s.id === 'sign_in')?.status === 'locked';
  const choose = (e: FormEvent) => {
    e.preventDefault();
    void command('ceremony:selectAccount', { account_name: account });
  };
  const record = (e: FormEvent) => {
    e.preventDefault();
    const when = optionalIso(at);
    void command('ceremony:recordSignIn', { ...(when ? { signed_in_at: when } : {}), ...(ip.trim() ? { ip_address: ip.trim() } : {}), ...(agent.trim() ? { user_agent: agent.trim() } : {}) });
  };
  return (
    <Screen id="sign_in" title="Sign in to the AWS console" lead="Pick the account. Sign in in your browser with the root user, password and MFA. Breakglass never asks for them.">
      {locked ? null : (
        <form onSubmit={choose}>
          <table className="accounts" data-testid="accounts">
            <caption>Accounts (where the credential lives — never the credential itself)</caption>
            <thead>
              <tr>
                <th scope="col">Account</th>
                <th scope="col">Account ID</th>
                <th scope="col">Break-glass principal</th>
                <th scope="col">Where the credential lives</th>
              </tr>
            </thead>
            <tbody>
              {state.accounts.map((a) => (
                <tr key={a.account_id} className={account === a.name ? 'selected' : undefined}>
                  <td>
                    <label className="choice inline">
                      <input type="radio" name="account" value={a.name} checked={account === a.name} onChange={() => setAccount(a.name)} data-testid={`account-${a.name}`} />
                      {a.name}
                    </label>
                  </td>
                  <td><code>{a.account_id}</code></td>
                  <td>{a.principal}</td>
                  <td>{a.credential_location}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <button type="submit" disabled={busy !== null || account === '' || !state.allowed.select_account.ok} data-testid="select-account">
            Use this account
          </button>
          <WhyNot allowed={state.allowed.select_account} />
          <Refusal channels={['ceremony:selectAccount']} />
        </form>
      )}
      {state.account ? (
        <div className="recorded" data-testid="selected-account">
          <h2>
            Account: {state.account.name} <code>{state.account.account_id}</code>
          </h2>
          <p>Credential: {state.account.credential_location}</p>
          <button
            type="button"
            onClick={() => {
              setConsoleError(null);
              void openConsole(AWS_ROOT_SIGNIN_URL).then(setConsoleError);
            }}
          >
            Open the AWS console sign-in in the browser
          </button>
          {consoleError ? (
            <p className="refusal" role="alert">
              {consoleError}
            </p>
          ) : null}
        </div>
      ) : null}
      {state.sign_in ? (
        <p className="ok-text" data-testid="signed-in">
          Signed in at {utcTime(state.sign_in.signed_in_at)} (IP {state.sign_in.ip_address}, browser {state.sign_in.user_agent})
        </p>
      ) : null}
      {state.account && !locked ? (
        <form onSubmit={record}>
          {/* Once recorded, the key tap is the next step; recording again is only a correction. */}
          <h2>{state.sign_in ? 'Correct the sign-in record (before locking)' : 'When you are signed in'}</h2>
          <Field id="signin-at" label="Signed in at (leave empty for now)" hint="ISO time" value={at} onChange={setAt} />
          <Field id="signin-ip" label="Your current IP address (optional)" hint="as the audit row should show it; 'unknown' if you cannot tell" value={ip} onChange={setIp} />
          <Field id="signin-ua" label="Browser user agent (optional)" hint="e.g. Firefox 128 on macOS" value={agent} onChange={setAgent} />
          <button type="submit" className={state.sign_in ? undefined : 'primary'} disabled={busy !== null || !state.allowed.record_sign_in.ok} data-testid="record-sign-in">
            {state.sign_in ? 'Record again — replaces the record above' : 'I have signed in — record the time'}
          </button>
          <WhyNot allowed={state.allowed.record_sign_in} />
          <Refusal channels={['ceremony:recordSignIn']} />
        </form>
      ) : null}
      <LockPanel step="sign_in" what="the sign-in" />
    </Screen>
  );
}
