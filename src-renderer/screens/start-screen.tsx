import { useState, type FormEvent } from 'react';
import type { CeremonyType } from '../../src-shared/ceremony/steps';
import { Refusal } from '../components/refusal';
import { Screen } from '../components/screen';
import { utcTime } from '../lib/format';
import { useAppStore } from '../store';
import { KeyPanel } from './key-panel';

const TYPES: Array<{ id: CeremonyType; title: string; text: string }> = [
  {
    id: 'root-login',
    title: 'AWS root login',
    text: 'SSO is unavailable and the account root user is the only way in (root-login runbook).',
  },
  {
    id: 'breakglass-role',
    title: 'Breakglass emergency role',
    text: 'A P0 needs the time-limited breakglass-emergency IAM role (cleanup runbook).',
  },
];

/** "30 days ago": an old unfinished ceremony must look old. */
function age(iso: string): string {
  const minutes = Math.max(0, (Date.now() - Date.parse(iso)) / 60_000);
  if (minutes < 60) return `${Math.round(minutes)} min ago`;
  if (minutes < 48 * 60) return `${Math.round(minutes / 60)} h ago`;
  return `${Math.round(minutes / 1440)} days ago`;
}

/** A stable empty list: a selector that returns a new [] each time makes React re-render forever. */
const NO_PRINCIPALS: ReadonlyArray<{ id: string; name: string }> = [];

/** Real or drill, which runbook, or resume what is unfinished. */
export function StartScreen() {
  const drillOnly = useAppStore((s) => s.app.info?.drill_only ?? false);
  const drill = useAppStore((s) => s.ceremony.startDrill);
  const setDrill = useAppStore((s) => s.setStartDrill);
  const list = useAppStore((s) => s.ceremony.list);
  const start = useAppStore((s) => s.startCeremony);
  const resume = useAppStore((s) => s.resume);
  const busy = useAppStore((s) => s.ceremony.busy);
  const roleConfigured = useAppStore((s) => s.ceremony.catalog?.breakglass_role !== null);
  const principals = useAppStore((s) => s.ceremony.catalog?.principals ?? NO_PRINCIPALS);
  const operator = useAppStore((s) => s.ceremony.startOperator);
  const setOperator = useAppStore((s) => s.setStartOperator);
  // With several principals nobody is the default: keys and the ceremony belong to one person.
  const mustChoose = principals.length > 1 && !principals.some((p) => p.id === operator);
  // Every step locks with a tap: starting without an enrolled key would end at the first lock.
  const noKey = useAppStore(
    (s) => s.key.status !== null && s.key.status.drill === drill && s.key.status.enrolled.length === 0,
  );
  const [type, setType] = useState<CeremonyType>('root-login');
  const unfinished = list.filter((c) => c.phase === 'ceremony');
  const aftercare = list.filter((c) => c.phase === 'aftercare');
  const aborted = list.filter((c) => c.phase === 'aborted');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void start(type, drill);
  };
  return (
    <Screen
      id="start"
      title="Break glass"
      lead="Use this only when the standard SSO path is unavailable. Every step is journalled and reviewed."
    >
      {unfinished.length > 0 ? (
        <div className="resume" data-testid="resume-list">
          <h2>
            Unfinished {unfinished.length === 1 ? 'ceremony' : 'ceremonies'} — resume only if it is yours and current
          </h2>
          <ul className="plain">
            {unfinished.map((c) => (
              <li key={c.ceremony_id} data-testid={`unfinished-${c.ceremony_id}`}>
                <button type="button" onClick={() => void resume(c.ceremony_id)} data-testid="resume">
                  Resume {c.drill ? 'DRILL' : 'LIVE'} {c.type}
                  <span className="sr-only"> {c.ceremony_id}</span>
                </button>
                <span className="hint">
                  {c.ceremony_id}: started {utcTime(c.started_at)} ({age(c.started_at)}), at step “{c.current_step}”
                </span>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <form onSubmit={submit} className="start-form">
        <fieldset>
          <legend>Real or drill?</legend>
          <label className="choice">
            <input type="radio" name="mode" checked={!drill} disabled={drillOnly} onChange={() => setDrill(false)} />
            <span>
              <strong>LIVE</strong> — a real break-glass: the hardware YubiKey and a real SSO check
              {drillOnly ? <span className="hint"> (this app was started with --drill)</span> : null}
            </span>
          </label>
          <label className="choice">
            <input type="radio" name="mode" checked={drill} onChange={() => setDrill(true)} data-testid="mode-drill" />
            <span>
              <strong>Drill</strong> — the virtual key and a simulated SSO outage; everything says DRILL
            </span>
          </label>
        </fieldset>
        {principals.length > 1 ? (
          <fieldset data-testid="operator-choice">
            <legend>Who is breaking glass?</legend>
            {principals.map((p) => (
              <label className="choice" key={p.id}>
                <input
                  type="radio"
                  name="operator"
                  value={p.id}
                  checked={operator === p.id}
                  onChange={() => setOperator(p.id)}
                  data-testid={`operator-${p.id}`}
                />
                <span>
                  <strong>{p.name}</strong> — {p.id}
                </span>
              </label>
            ))}
          </fieldset>
        ) : null}
        <fieldset>
          <legend>Which runbook?</legend>
          {TYPES.map((t) => (
            <label className="choice" key={t.id}>
              <input
                type="radio"
                name="type"
                value={t.id}
                checked={type === t.id}
                onChange={() => setType(t.id)}
                disabled={t.id === 'breakglass-role' && !roleConfigured}
              />
              <span>
                <strong>{t.title}</strong> — {t.text}
                {t.id === 'breakglass-role' && !roleConfigured ? (
                  <span className="hint"> (no breakglass_role in the configuration)</span>
                ) : null}
              </span>
            </label>
          ))}
        </fieldset>
        {noKey && !mustChoose ? <KeyPanel drill={drill} /> : null}
        <button
          type="submit"
          className="primary"
          disabled={busy !== null || mustChoose || noKey}
          data-testid="start"
          aria-describedby={noKey ? 'start-why' : undefined}
        >
          Start {drill ? 'the drill' : 'the ceremony'}
        </button>
        {noKey && !mustChoose ? (
          <p className="why-not" id="start-why" data-testid="start-needs-key">
            Enrol your key first (just above): every step locks with a tap of it.
          </p>
        ) : null}
        {mustChoose ? (
          <p className="why-not" data-testid="choose-operator">
            Choose who is breaking glass first: every step locks with that person&apos;s key.
          </p>
        ) : null}
        <Refusal channels={['ceremony:start', 'ceremony:get']} />
      </form>
      {mustChoose || noKey ? null : <KeyPanel drill={drill} />}
      {aborted.length > 0 ? (
        <div className="resume" data-testid="aborted-list">
          <h2>Aborted</h2>
          <ul className="plain">
            {aborted.map((c) => (
              <li key={c.ceremony_id}>
                <button
                  type="button"
                  onClick={() => void resume(c.ceremony_id)}
                  data-testid={`open-aborted-${c.ceremony_id}`}
                >
                  Open aborted {c.drill ? 'DRILL ' : ''}
                  {c.ceremony_id}
                </button>{' '}
                <span className="hint">to export it or add a note</span>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {aftercare.length > 0 ? (
        <div className="resume">
          <h2>After-care in progress</h2>
          <ul className="plain">
            {aftercare.map((c) => (
              <li key={c.ceremony_id}>
                <button type="button" onClick={() => void resume(c.ceremony_id)}>
                  Open after-care of {c.drill ? 'DRILL ' : ''}
                  {c.ceremony_id}
                </button>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </Screen>
  );
}
