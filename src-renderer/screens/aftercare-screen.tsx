import { useState, type ChangeEvent, type FormEvent } from 'react';
import type { ItemStatus } from '../../src-shared/aftercare/checklist-status';
import { Field } from '../components/field';
import { ExportPanel } from '../components/export-panel';
import { Refusal } from '../components/refusal';
import { RenewalPanel } from '../components/renewal-panel';
import { Screen } from '../components/screen';
import { WitnessCodeBox } from '../components/witness-code';
import { ReconcilePanel } from './reconcile-panel';
import { utcTime } from '../lib/format';
import { TimePicker } from '../components/time-picker';
import { useAppStore } from '../store';

const EVIDENCE = 'ceremony:recordAftercareEvidence';

const STATE_WORDS = { done: 'done', due: 'due', overdue: 'OVERDUE', 'not-yet': 'not yet' } as const;

/** The note that records the founders heard the final code (notes are the ceremony's corrections and records). */
export const HEARD_PREFIX = 'Final witness code read to the founders, who heard it:';

/**
 * After the glass, in the order the runbook needs it: the final code for the founders (and a
 * record that they heard it), the 24-hour checklist, then, separately, the CloudTrail
 * reconciliation and the postmortem export.
 */
export function AftercareScreen() {
  const state = useAppStore((s) => s.ceremony.state)!;
  const [tab, setTab] = useState<'checklist' | 'reconcile'>('checklist');
  const summary = state.aftercare?.summary;
  return (
    <Screen
      id="aftercare"
      title="After the glass"
      lead="Within 24 hours of signing out. Each item needs evidence: a tick is not enough."
    >
      {state.witness.final ? (
        <>
          <WitnessCodeBox
            code={state.witness.final}
            label="Final witness code — read this to the founders again"
            testId="witness-final"
          />
          <FoundersHeard code={state.witness.final.text} />
        </>
      ) : null}
      {state.sign_out ? (
        <p data-testid="session-summary">
          Signed out {utcTime(state.sign_out.signed_out_at)}; session {state.sign_out.duration_minutes} minutes
          {state.timer?.expected_minutes ? ` (expected ${state.timer.expected_minutes})` : ''}; {state.actions.length}{' '}
          action(s) logged.
        </p>
      ) : null}
      <nav className="tabs" aria-label="After-care parts">
        <button
          type="button"
          aria-pressed={tab === 'checklist'}
          className={tab === 'checklist' ? 'tab current' : 'tab'}
          onClick={() => setTab('checklist')}
          data-testid="aftercare-tab-checklist"
        >
          1. The 24-hour checklist
        </button>
        <button
          type="button"
          aria-pressed={tab === 'reconcile'}
          className={tab === 'reconcile' ? 'tab current' : 'tab'}
          onClick={() => setTab('reconcile')}
          data-testid="aftercare-tab-reconcile"
        >
          2. CloudTrail reconciliation and export
        </button>
      </nav>
      {tab === 'checklist' ? (
        <div data-testid="aftercare-checklist">
          {summary ? (
            <p className={summary.overdue > 0 ? 'warn-text' : undefined} data-testid="aftercare-summary">
              {summary.done} of {summary.total} done; {summary.due} due, {summary.overdue} overdue
              {summary.next_due_at ? `; next due ${utcTime(summary.next_due_at)}` : ''}.
            </p>
          ) : null}
          {/* The export first: the checklist's first item is committing the session log it writes. */}
          <ExportPanel />
          <ol className="plain checklist">
            {(state.aftercare?.items ?? []).map((item) => (
              <li key={item.id}>
                <ChecklistItemView item={item} />
              </li>
            ))}
          </ol>
          <RenewalPanel />
        </div>
      ) : (
        <div data-testid="aftercare-reconcile">
          <ReconcilePanel />
          <ExportPanel />
        </div>
      )}
    </Screen>
  );
}

/** One press: a journal note that the founders heard the final code (a new entry, signed with the rest). */
function FoundersHeard(props: { code: string }) {
  const heard = useAppStore((s) => s.ceremony.state?.notes.find((n) => n.text.startsWith(HEARD_PREFIX)) ?? null);
  const command = useAppStore((s) => s.command);
  const busy = useAppStore((s) => s.ceremony.busy);
  if (heard) {
    return (
      <p className="ok-text" data-testid="founders-heard">
        Recorded {utcTime(heard.at)} (entry {heard.seq}): the founders heard the final code.
      </p>
    );
  }
  return (
    <div className="heard">
      <button
        type="button"
        className="primary"
        disabled={busy !== null}
        onClick={() => void command('ceremony:addNote', { text: `${HEARD_PREFIX} ${props.code}` })}
        data-testid="record-founders-heard"
      >
        The founders heard the final code — record it
      </button>
      <Refusal channels={['ceremony:addNote']} />
    </div>
  );
}

async function sha256Hex(file: File): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', await file.arrayBuffer());
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

function ChecklistItemView(props: { item: ItemStatus }) {
  const item = props.item;
  const command = useAppStore((s) => s.command);
  const busy = useAppStore((s) => s.ceremony.busy);
  const [text, setText] = useState('');
  const [at, setAt] = useState('');
  const [by, setBy] = useState('');
  const [file, setFile] = useState<{ name: string; sha256: string } | null>(null);
  const signOff = item.waiting_for.length > 0 || item.id.endsWith('signoff');
  const pickFile = async (e: ChangeEvent<HTMLInputElement>) => {
    const f = e.target.files?.[0];
    // Only the file's hash is recorded; its contents never leave this window.
    setFile(f ? { name: f.name, sha256: await sha256Hex(f) } : null);
  };
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const when = at;
    const ok = signOff
      ? await command('ceremony:signOffAftercare', { item_id: item.id, by, text })
      : await command('ceremony:recordAftercareEvidence', {
          item_id: item.id,
          text,
          ...(when ? { evidence_at: when } : {}),
          ...(file ? { file_sha256: file.sha256, file_name: file.name } : {}),
        });
    if (ok) {
      setText('');
      setFile(null);
    }
  };
  return (
    <div className={`check-item state-${item.state}`} data-testid={`check-${item.id}`} data-state={item.state}>
      <h2>
        <span className="check-state">{STATE_WORDS[item.state]}</span> {item.title}
      </h2>
      <p className="hint">
        <span className="check-window" data-testid={`window-${item.id}`}>
          Window {item.window}
        </span>
        : {item.runbook}. Due {utcTime(item.due_at)}.
      </p>
      {item.evidence.map((ev) => (
        <p key={ev.seq} className="ok-text">
          Evidence ({utcTime(ev.at)}): {ev.text}
          {ev.file_sha256 ? ` [file ${ev.file_name ?? ''} sha256 ${ev.file_sha256.slice(0, 12)}…]` : ''}
        </p>
      ))}
      {item.rejected.map((r) => (
        <p key={r.seq} className="warn-text">
          Entry {r.seq} does not count: {r.reason}
        </p>
      ))}
      {item.state === 'done' ? null : (
        <form onSubmit={(e) => void submit(e)}>
          <Field id={`ev-text-${item.id}`} label="Evidence" labelFor={item.title} value={text} onChange={setText} />
          {signOff ? (
            <Field
              id={`ev-by-${item.id}`}
              label="Signed off by (the cleanup owner)"
              labelFor={item.title}
              value={by}
              onChange={setBy}
            />
          ) : (
            <>
              <TimePicker
                id={`ev-at-${item.id}`}
                label="When"
                labelFor={item.title}
                value={at}
                onChange={setAt}
                presets={[0, 60, 360]}
                refusal={{ channels: [EVIDENCE], path: 'evidence_at', subject: item.id }}
              />
              <div className="field">
                <label htmlFor={`ev-file-${item.id}`}>
                  Attach a file (optional: only its SHA-256 is recorded)<span className="sr-only"> ({item.title})</span>
                </label>
                <input id={`ev-file-${item.id}`} type="file" onChange={(e) => void pickFile(e)} />
              </div>
            </>
          )}
          <button type="submit" disabled={busy !== null} data-testid={`evidence-${item.id}`}>
            Record evidence
          </button>
          <Refusal channels={['ceremony:recordAftercareEvidence', 'ceremony:signOffAftercare']} subject={item.id} />
        </form>
      )}
    </div>
  );
}
