import { useState, type FormEvent } from 'react';
import { Field } from '../components/field';
import { LockPanel } from '../components/lock-panel';
import { Refusal } from '../components/refusal';
import { Screen } from '../components/screen';
import { WhyNot } from '../components/why-not';
import { useAppStore } from '../store';

const CHANNEL = 'ceremony:writeAuditRow';

/** Step 5: the agent_audit_log row, exactly as the runbook writes it; it cannot be skipped. */
export function AuditRowScreen() {
  const state = useAppStore((s) => s.ceremony.state)!;
  const recordAndLock = useAppStore((s) => s.recordAndLock);
  const busy = useAppStore((s) => s.ceremony.busy);
  const [channel, setChannel] = useState('');
  const [minutes, setMinutes] = useState('15');
  const [failed, setFailed] = useState(false);
  const [failure, setFailure] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void recordAndLock(
      'ceremony:writeAuditRow',
      {
        incident_channel: channel.trim() || 'NA',
        expected_session_duration_minutes: Number(minutes),
        ...(failed ? { sign_in_failed: failure } : {}),
      },
      'audit_row',
    );
  };
  const row = state.audit_row;
  return (
    <Screen
      id="audit_row"
      title="Write the agent_audit_log row"
      lead="The audit row is the evidence artifact. It is written to the journal now and synced to MongoDB agent_audit_log when the network allows."
    >
      {row ? (
        <div className="recorded" data-testid="audit-row">
          <h2>The row (queued for sync)</h2>
          <pre className="wrap">{JSON.stringify((({ seq: _seq, ...rest }) => rest)(row), null, 2)}</pre>
        </div>
      ) : (
        <form onSubmit={submit}>
          <Field
            id="incident-channel"
            label="Incident channel"
            hint="Google Chat link (https://…) or NA (empty means NA)"
            value={channel}
            onChange={setChannel}
            refusal={{ channels: [CHANNEL], path: 'incident_channel' }}
          />
          <Field
            id="expected-minutes"
            type="number"
            label="Expected session duration (minutes)"
            hint="The timer warns at 100 % and 150 % of this"
            value={minutes}
            onChange={setMinutes}
            refusal={{ channels: [CHANNEL], path: 'expected_session_duration_minutes' }}
          />
          {/* A sign-in recorded too early that then failed is recorded as such, never as a false success. */}
          <label className="choice">
            <input
              type="checkbox"
              checked={failed}
              onChange={(e) => setFailed(e.target.checked)}
              data-testid="sign-in-failed"
            />
            The root sign-in did not succeed (wrong password, MFA rejected): the row says result “failure”
          </label>
          {failed ? (
            <Field
              id="sign-in-failure"
              label="What happened"
              hint="e.g. MFA rejected twice; nothing was changed"
              value={failure}
              onChange={setFailure}
            />
          ) : null}
          <button
            type="submit"
            className="primary"
            disabled={busy !== null || !state.allowed.write_audit_row.ok}
            data-testid="write-audit-row"
          >
            {failed
              ? 'Write the audit row (sign-in failed) and lock with key tap'
              : 'Write the audit row and lock with key tap'}
          </button>
          <WhyNot allowed={state.allowed.write_audit_row} />
          <Refusal channels={[CHANNEL]} />
        </form>
      )}
      <LockPanel step="audit_row" what="the audit row" />
    </Screen>
  );
}
