import { useEffect, useState, type FormEvent } from 'react';
import { warningLevel } from '../../src-shared/aws/anti-patterns';
import { Field } from '../components/field';
import { Refusal } from '../components/refusal';
import { RenewalPanel } from '../components/renewal-panel';
import { Screen } from '../components/screen';
import { WhyNot } from '../components/why-not';
import { utcTime } from '../lib/format';
import { keepAfterRefusal } from '../lib/after-refusal';
import { SessionTimer } from '../components/session-timer';
import { useAppStore } from '../store';

/** How often the screen re-reads the state while the session runs (the timer ticks locally in between). */
const REFRESH_MS = 30_000;

/** Only the minimum action; every command logged as it is run, against the clock. */
export function MinimalActionScreen() {
  const state = useAppStore((s) => s.ceremony.state)!;
  const command = useAppStore((s) => s.command);
  const refresh = useAppStore((s) => s.refreshActive);
  const busy = useAppStore((s) => s.ceremony.busy);
  const [text, setText] = useState('');
  const [summary, setSummary] = useState('');
  useEffect(() => {
    const timer = setInterval(() => void refresh(), REFRESH_MS);
    return () => clearInterval(timer);
  }, [refresh]);
  const log = async (e: FormEvent) => {
    e.preventDefault();
    setText((await command('ceremony:logAction', { text })) ? '' : keepAfterRefusal(text));
  };
  const finish = (e: FormEvent) => {
    e.preventDefault();
    void command('ceremony:finishMinimalAction', { summary });
  };
  return (
    <Screen
      id="minimal_action"
      title="Minimal action only"
      lead="Do only what the incident needs. Do not browse. Do not change unrelated settings. Log each command as you run it."
    >
      <SessionTimer />
      <form onSubmit={(e) => void log(e)}>
        <Field
          id="action-text"
          label="What you ran or did (Enter records it)"
          hint="e.g. ran: aws ec2 terminate-instances --instance-ids i-0abc"
          value={text}
          onChange={setText}
          autoFocus
          refusal={{ channels: ['ceremony:logAction'], path: 'text' }}
        />
        <button
          type="submit"
          className="primary"
          disabled={busy !== null || text.trim() === '' || !state.allowed.log_action.ok}
          data-testid="log-action"
        >
          Log it
        </button>
        <WhyNot allowed={state.allowed.log_action} />
        <Refusal channels={['ceremony:logAction']} labels={{ text: 'What you ran or did' }} />
      </form>
      <ol className="action-log" data-testid="action-log" aria-label="Session log">
        {state.actions.map(({ seq, payload: a }) => (
          <li key={seq} className={a.warnings.length ? 'has-warning' : undefined}>
            <span className="time">{utcTime(a.logged_at).slice(11, 19)}</span>{' '}
            <span className="action-text">{a.text}</span>
            {a.parsed.map((p) => (
              <code key={`${seq}-${p.iam_action}`} className={`iam ${p.read_only ? 'read' : 'write'}`}>
                {p.iam_action}
              </code>
            ))}
            {a.warnings.map((w) => {
              const level = warningLevel(w);
              return (
                <span key={w} className={`anti-pattern level-${level}`} data-level={level}>
                  <strong>{level === 'critical' ? 'Must fix' : level === 'warning' ? 'Warning' : 'Note'}:</strong> {w}
                </span>
              );
            })}
          </li>
        ))}
      </ol>
      <form onSubmit={finish} className="finish">
        <h2>Done? Sign out as soon as the action completes</h2>
        <Field
          id="action-summary"
          label="One-line summary of what was done"
          hint="what changed, for the session log"
          value={summary}
          onChange={setSummary}
        />
        <button
          type="submit"
          className="primary"
          disabled={busy !== null || !state.allowed.finish_minimal_action.ok}
          data-testid="finish-action"
        >
          The minimal action is done
        </button>
        <WhyNot allowed={state.allowed.finish_minimal_action} />
        <Refusal channels={['ceremony:finishMinimalAction']} />
      </form>
      <RenewalPanel />
    </Screen>
  );
}

export { SessionTimer };
