import { useState, type FormEvent } from 'react';
import type { FounderView } from '../../src-shared/ceremony/state-types';
import { LockPanel } from '../components/lock-panel';
import { Refusal } from '../components/refusal';
import { Screen } from '../components/screen';
import { TimePicker } from '../components/time-picker';
import { WhyNot } from '../components/why-not';
import { WitnessCodeBox } from '../components/witness-code';
import { utcTime } from '../lib/format';
import { useAppStore } from '../store';

const CHANNEL = 'ceremony:notifyFounder';

/** Tell the other founders BEFORE invoking, and have them write down the witness code. */
export function NotifyScreen() {
  const state = useAppStore((s) => s.ceremony.state)!;
  const code = state.witness.notify ?? state.witness.current;
  const locked = state.steps.find((s) => s.id === 'notify')?.status === 'locked';
  const waiting = state.founders.filter((f) => !f.notification?.acknowledged);
  return (
    <Screen
      id="notify"
      title="Notify the founders before invoking"
      lead={`Text or call each founder. Read them the code below; they write it down. ${state.type === 'root-login' ? 'Sign-in' : 'Recording the role session'} stays impossible until every founder has acknowledged and this step is locked.`}
    >
      {state.sso_probe ? (
        <p className="hint" data-testid="sso-summary">
          SSO check recorded {utcTime(state.sso_probe.attempted_at)}: {state.sso_probe.outcome.replace('_', ' ')}
          {state.sso_probe.error_name ? ` (${state.sso_probe.error_name})` : ''}.
        </p>
      ) : null}
      <WitnessCodeBox code={code} label="Witness code — read this out" testId="witness-notify" />
      <ul className="plain founders">
        {state.founders.map((f) => (
          <li key={f.contact_id}>
            <FounderRow
              founder={f}
              locked={locked}
              last={waiting.length === 1 && waiting[0]!.contact_id === f.contact_id}
            />
          </li>
        ))}
      </ul>
      <LockPanel step="notify" what="the notifications" />
    </Screen>
  );
}

/**
 * One founder: the common case is one press ("acknowledged", told now by their first channel);
 * "no answer yet", another channel or another time are one level down. A founder who has not
 * acknowledged keeps the step open: their acknowledgement is recorded here when it comes.
 */
function FounderRow(props: { founder: FounderView; locked: boolean; last: boolean }) {
  const f = props.founder;
  const command = useAppStore((s) => s.command);
  const recordAndLock = useAppStore((s) => s.recordAndLock);
  const busy = useAppStore((s) => s.ceremony.busy);
  const allowed = useAppStore((s) => s.ceremony.state?.allowed.notify_founder);
  const [channel, setChannel] = useState<'text' | 'call'>(f.notification?.channel ?? f.channels[0] ?? 'text');
  const [acknowledged, setAcknowledged] = useState(f.notification?.acknowledged ?? false);
  const [at, setAt] = useState('');
  const n = f.notification;
  const args = (ack: boolean) => ({
    contact_id: f.contact_id,
    channel,
    acknowledged: ack,
    ...(at ? { notified_at: at } : {}),
  });
  const quick = () => void (props.last ? recordAndLock(CHANNEL, args(true), 'notify') : command(CHANNEL, args(true)));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void command(CHANNEL, args(acknowledged));
  };
  const notAllowed = allowed !== undefined && !allowed.ok;
  return (
    <div className="founder" data-testid={`founder-${f.contact_id}`}>
      <h2>
        {f.name} {f.phone ? <span className="hint">{f.phone}</span> : null}
      </h2>
      {n ? (
        <p className={n.acknowledged ? 'ok-text' : 'warn-text'} data-testid="founder-status">
          {n.channel === 'call' ? 'Called' : 'Texted'} {utcTime(n.notified_at)} —{' '}
          {n.acknowledged ? `acknowledged ${utcTime(n.acknowledged_at)}` : 'NOT acknowledged yet'}; code given:{' '}
          {n.witness_code}
        </p>
      ) : (
        <p className="warn-text">Not notified yet.</p>
      )}
      {props.locked || n?.acknowledged ? null : (
        <>
          <button
            type="button"
            className="primary"
            disabled={busy !== null || notAllowed}
            onClick={quick}
            data-testid={`acked-${f.contact_id}`}
            data-next="true"
          >
            {f.name} acknowledged and wrote the code down{props.last ? ' — record and lock with key tap' : ' — record'}
          </button>
          <WhyNot allowed={allowed} />
        </>
      )}
      {props.locked ? null : (
        <details className="side-form">
          <summary>
            No answer yet, another channel or another time<span className="sr-only"> ({f.name})</span>
          </summary>
          <form onSubmit={submit} className="inline-form">
            <fieldset>
              <legend>
                How <span className="sr-only">{f.name} was told</span>
              </legend>
              {f.channels.map((c) => (
                <label key={c} className="choice inline">
                  <input
                    type="radio"
                    name={`channel-${f.contact_id}`}
                    checked={channel === c}
                    onChange={() => setChannel(c)}
                  />
                  {c === 'call' ? 'Call' : 'Text'}
                  <span className="sr-only"> {f.name}</span>
                </label>
              ))}
            </fieldset>
            <label className="choice inline">
              <input
                type="checkbox"
                checked={acknowledged}
                onChange={(e) => setAcknowledged(e.target.checked)}
                data-testid={`ack-${f.contact_id}`}
              />
              {f.name} acknowledged and wrote the code down
            </label>
            <TimePicker
              id={`at-${f.contact_id}`}
              label="When"
              labelFor={f.name}
              value={at}
              onChange={setAt}
              refusal={{ channels: [CHANNEL], path: 'notified_at', subject: f.contact_id }}
            />
            <button type="submit" disabled={busy !== null || notAllowed} data-testid={`notify-${f.contact_id}`}>
              Record {n ? 'again' : 'notification'}
            </button>
          </form>
        </details>
      )}
      <Refusal channels={[CHANNEL]} subject={f.contact_id} />
    </div>
  );
}
