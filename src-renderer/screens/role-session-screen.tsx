import { useState, type FormEvent } from 'react';
import { Field } from '../components/field';
import { LockPanel } from '../components/lock-panel';
import { Refusal } from '../components/refusal';
import { Screen } from '../components/screen';
import { WhyNot } from '../components/why-not';
import { utcTime } from '../lib/format';
import { useAppStore } from '../store';

/**
 * Step 4 (role): the role session's start and Expiration. Pasted `aws sts assume-role` output is
 * read in main and only the ARN and Expiration are kept; the keys in it are discarded.
 */
export function RoleSessionScreen() {
  const state = useAppStore((s) => s.ceremony.state)!;
  const command = useAppStore((s) => s.command);
  const busy = useAppStore((s) => s.ceremony.busy);
  const [source, setSource] = useState<'sts' | 'vault'>('sts');
  const [output, setOutput] = useState('');
  const [arn, setArn] = useState(state.configured_role?.role_arn ?? '');
  const [started, setStarted] = useState('');
  const [expiration, setExpiration] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void command(
      'ceremony:recordRoleSession',
      source === 'sts' ? { source, assume_role_output: output } : { source, role_arn: arn, session_started_at: started, expiration },
    );
    setOutput('');
  };
  const r = state.role_session;
  return (
    <Screen id="role_session" title="Record the role session" lead="When the role was assumed and when its credentials expire. Secrets are never kept.">
      {r ? (
        <p className="ok-text" data-testid="role-session">
          {r.role_arn}: started {utcTime(r.session_started_at)}, expires {utcTime(r.expiration)}
        </p>
      ) : null}
      <form onSubmit={submit}>
        <fieldset>
          <legend>Where the session came from</legend>
          <label className="choice inline">
            <input type="radio" name="source" checked={source === 'sts'} onChange={() => setSource('sts')} /> Pasted aws sts assume-role output
          </label>
          <label className="choice inline">
            <input type="radio" name="source" checked={source === 'vault'} onChange={() => setSource('vault')} /> Vault lease
          </label>
        </fieldset>
        {source === 'sts' ? (
          <Field id="assume-role-output" multiline label="aws sts assume-role output (JSON)" hint="Only the role ARN and Expiration are kept; the access keys are discarded in memory." value={output} onChange={setOutput} />
        ) : (
          <>
            <Field id="role-arn" label="Role ARN" value={arn} onChange={setArn} />
            <Field id="role-start" label="Session started at" hint="ISO time" value={started} onChange={setStarted} />
            <Field id="role-expiration" label="Credentials expire at" hint="ISO time" value={expiration} onChange={setExpiration} />
          </>
        )}
        <button type="submit" className="primary" disabled={busy !== null || !state.allowed.record_role_session.ok}>
          Record the role session
        </button>
        <WhyNot allowed={state.allowed.record_role_session} />
        <Refusal channels={['ceremony:recordRoleSession']} />
      </form>
      <LockPanel step="role_session" what="the role session" />
    </Screen>
  );
}
