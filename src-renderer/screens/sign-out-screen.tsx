import { useState, type FormEvent } from 'react';
import { Field } from '../components/field';
import { LockPanel } from '../components/lock-panel';
import { Refusal } from '../components/refusal';
import { Screen } from '../components/screen';
import { WhyNot } from '../components/why-not';
import { utcTime } from '../lib/format';
import { TimePicker } from '../components/time-picker';
import { useAppStore } from '../store';
import { SessionTimer } from './minimal-action-screen';

/** Sign out of the console now; record it; lock it; read the final code to the founders. */
export function SignOutScreen() {
  const state = useAppStore((s) => s.ceremony.state)!;
  const command = useAppStore((s) => s.command);
  const recordAndLock = useAppStore((s) => s.recordAndLock);
  const busy = useAppStore((s) => s.ceremony.busy);
  const [at, setAt] = useState('');
  const [back, setBack] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const args = {
      ...(at ? { signed_out_at: at } : {}),
      ...(back.trim() ? { expected_return_to_normal: back.trim() } : {}),
    };
    void (state.sign_out
      ? command('ceremony:recordSignOut', args)
      : recordAndLock('ceremony:recordSignOut', args, 'sign_out'));
  };
  return (
    <Screen
      id="sign_out"
      title="Sign out"
      lead={
        state.type === 'root-login'
          ? 'Sign out of the AWS console now, then record it here.'
          : 'End the role session now, then record it here.'
      }
    >
      <SessionTimer />
      {state.sign_out ? (
        <p className="ok-text" data-testid="signed-out">
          Signed out at {utcTime(state.sign_out.signed_out_at)} after {state.sign_out.duration_minutes} minutes.
          {state.sign_out.expected_return_to_normal
            ? ` Expected return to normal: ${state.sign_out.expected_return_to_normal}.`
            : ''}
        </p>
      ) : null}
      <form onSubmit={submit}>
        <TimePicker
          id="signout-at"
          label="Signed out at"
          value={at}
          onChange={setAt}
          refusal={{ channels: ['ceremony:recordSignOut'], path: 'signed_out_at' }}
        />
        <Field
          id="signout-return"
          label="Expected return to normal"
          hint={
            state.type === 'root-login'
              ? 'when SSO is expected back, e.g. "Google status page: fix by 14:00 UTC" (the session log asks for it)'
              : 'when the standard path is expected back (the session log asks for it)'
          }
          value={back}
          onChange={setBack}
        />
        <button
          type="submit"
          className={state.sign_out ? undefined : 'primary'}
          disabled={busy !== null || !state.allowed.record_sign_out.ok}
          data-testid="record-sign-out"
        >
          {state.sign_out
            ? 'Record again — replaces the record above'
            : 'I have signed out — record and lock with key tap'}
        </button>
        <WhyNot allowed={state.allowed.record_sign_out} />
        <Refusal channels={['ceremony:recordSignOut']} />
      </form>
      <LockPanel step="sign_out" what="the sign-out" />
    </Screen>
  );
}
