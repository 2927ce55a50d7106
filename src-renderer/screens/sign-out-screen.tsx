import { useState, type FormEvent } from 'react';
import { Field } from '../components/field';
import { LockPanel } from '../components/lock-panel';
import { Refusal } from '../components/refusal';
import { Screen } from '../components/screen';
import { WhyNot } from '../components/why-not';
import { optionalIso, utcTime } from '../lib/format';
import { useAppStore } from '../store';
import { SessionTimer } from './minimal-action-screen';

/** Sign out of the console now; record it; lock it; read the final code to the founders. */
export function SignOutScreen() {
  const state = useAppStore((s) => s.ceremony.state)!;
  const command = useAppStore((s) => s.command);
  const busy = useAppStore((s) => s.ceremony.busy);
  const [at, setAt] = useState('');
  const [back, setBack] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const when = optionalIso(at);
    void command('ceremony:recordSignOut', { ...(when ? { signed_out_at: when } : {}), ...(back.trim() ? { expected_return_to_normal: back.trim() } : {}) });
  };
  return (
    <Screen id="sign_out" title="Sign out" lead={state.type === 'root-login' ? 'Sign out of the AWS console now, then record it here.' : 'End the role session now, then record it here.'}>
      <SessionTimer />
      {state.sign_out ? (
        <p className="ok-text" data-testid="signed-out">
          Signed out at {utcTime(state.sign_out.signed_out_at)} after {state.sign_out.duration_minutes} minutes.
          {state.sign_out.expected_return_to_normal ? ` Expected return to normal: ${state.sign_out.expected_return_to_normal}.` : ''}
        </p>
      ) : null}
      <form onSubmit={submit}>
        <Field id="signout-at" label="Signed out at (leave empty for now)" hint="ISO time" value={at} onChange={setAt} />
        <Field
          id="signout-return"
          label="Expected return to normal"
          hint={state.type === 'root-login' ? 'when SSO is expected back, e.g. "Google status page: fix by 14:00 UTC" (the session log asks for it)' : 'when the standard path is expected back (the session log asks for it)'}
          value={back}
          onChange={setBack}
        />
        <button type="submit" className="primary" disabled={busy !== null || !state.allowed.record_sign_out.ok} data-testid="record-sign-out">
          I have signed out — record it
        </button>
        <WhyNot allowed={state.allowed.record_sign_out} />
        <Refusal channels={['ceremony:recordSignOut']} />
      </form>
      <LockPanel step="sign_out" what="the sign-out" />
    </Screen>
  );
}
