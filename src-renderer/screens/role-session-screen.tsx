import { useState, type FormEvent } from 'react';
import { Field } from '../components/field';
import { LockPanel } from '../components/lock-panel';
import { Refusal } from '../components/refusal';
import { Screen } from '../components/screen';
import { WhyNot } from '../components/why-not';
import { utcTime } from '../lib/format';
import { TimePicker } from '../components/time-picker';
import { useAppStore } from '../store';

const CHANNEL = 'ceremony:recordRoleSession';

/**
 * Step 4 (role): the role session's start and Expiration. Pasted `aws sts assume-role` output is
 * read in main and only the ARN and Expiration are kept; the keys in it are discarded.
 */
export function RoleSessionScreen() {
  const state = useAppStore((s) => s.ceremony.state)!;
  const command = useAppStore((s) => s.command);
  const recordAndLock = useAppStore((s) => s.recordAndLock);
  const busy = useAppStore((s) => s.ceremony.busy);
  const [source, setSource] = useState<'sts' | 'vault'>('sts');
  const [output, setOutput] = useState('');
  const [arn, setArn] = useState(state.configured_role?.role_arn ?? '');
  const [started, setStarted] = useState('');
  const [expiration, setExpiration] = useState('');
  const r = state.role_session;
  const refusal = (path: string) => ({ channels: [CHANNEL], path });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const args =
      source === 'sts'
        ? ({ source, assume_role_output: output } as const)
        : ({ source, role_arn: arn, session_started_at: started, expiration } as const);
    void (state.role_session ? command(CHANNEL, args) : recordAndLock(CHANNEL, args, 'role_session'));
    setOutput('');
  };
  return (
    <Screen
      id="role_session"
      title="Record the role session"
      lead="When the role was assumed and when its credentials expire. Secrets are never kept."
    >
      {r ? (
        <p className="ok-text" data-testid="role-session">
          {r.role_arn}: started {utcTime(r.session_started_at)}, expires {utcTime(r.expiration)}
        </p>
      ) : null}
      <form onSubmit={submit}>
        <fieldset>
          <legend>Where the session came from</legend>
          <label className="choice inline">
            <input type="radio" name="source" checked={source === 'sts'} onChange={() => setSource('sts')} /> Pasted aws
            sts assume-role output
          </label>
          <label className="choice inline">
            <input type="radio" name="source" checked={source === 'vault'} onChange={() => setSource('vault')} /> Vault
            lease
          </label>
        </fieldset>
        {source === 'sts' ? (
          <Field
            id="assume-role-output"
            multiline
            label="aws sts assume-role output (JSON)"
            hint="Only the role ARN and Expiration are kept; the access keys are discarded in memory."
            value={output}
            onChange={setOutput}
            refusal={refusal('assume_role_output')}
          />
        ) : (
          <>
            <Field id="role-arn" label="Role ARN" value={arn} onChange={setArn} refusal={refusal('role_arn')} />
            <TimePicker
              id="role-start"
              label="Session started at"
              value={started}
              onChange={setStarted}
              allowNow={false}
              presets={[0, 5, 15]}
              refusal={refusal('session_started_at')}
            />
            <TimePicker
              id="role-expiration"
              label="Credentials expire at"
              value={expiration}
              onChange={setExpiration}
              allowNow={false}
              presets={[-15, -30, -60]}
              refusal={refusal('expiration')}
            />
          </>
        )}
        <button
          type="submit"
          className={r ? undefined : 'primary'}
          disabled={busy !== null || !state.allowed.record_role_session.ok}
          data-testid="record-role-session"
        >
          {r ? 'Record again — replaces the record above' : 'Record the role session and lock with key tap'}
        </button>
        <WhyNot allowed={state.allowed.record_role_session} />
        <Refusal channels={[CHANNEL]} />
      </form>
      <LockPanel step="role_session" what="the role session" />
    </Screen>
  );
}
