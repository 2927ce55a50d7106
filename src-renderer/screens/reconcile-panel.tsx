import { useState, type FormEvent } from 'react';
import type { ReconcileCounts, ReconcileTimelineItem, ReconcileView } from '../../src-shared/ipc/contract';
import { Field } from '../components/field';
import { utcTime } from '../lib/format';
import { refusalWords } from '../lib/refusal-words';
import { useAppStore } from '../store';

/** Said in words as well as colour, so the marks survive a monochrome print and a screen reader. */
const MARK_WORDS: Record<NonNullable<ReconcileTimelineItem['mark']>, string> = {
  unexpected: 'UNEXPECTED: not declared in the journal',
  'read-only': 'read-only: reconnaissance the postmortem must mention',
  matched: 'matched',
  missing: 'declared, but no CloudTrail event',
  session: 'sign-in',
};

/** How a non-zero count is shown: reconnaissance is amber, like its timeline rows; left-behind changes red. */
const COUNT_LABELS: Array<[keyof ReconcileCounts, string, 'attention' | 'recon' | null]> = [
  ['matched', 'matched', null],
  ['unexpected', 'unexpected', 'attention'],
  ['readOnly', 'read-only', 'recon'],
  ['declaredButMissing', 'declared but missing', 'attention'],
  ['iamUsersCreated', 'IAM users created', 'attention'],
  ['accessKeysCreated', 'access keys created', 'attention'],
  ['rolesWithAttachedPolicies', 'roles with attached policies', 'attention'],
  ['terraformOrphans', 'Terraform orphans', 'attention'],
  ['argocdOutOfSync', 'Argo CD out of sync', 'attention'],
];

const lines = (text: string) =>
  text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l.length > 0);

/**
 * Cleanup runbook Step 3: the session's CloudTrail against the journal, on one time axis, and
 * (on request) journalled so the exported postmortem carries it. Main reads the files; this
 * form only passes the paths the operator pasted.
 */
export function ReconcilePanel() {
  const activeId = useAppStore((s) => s.ceremony.activeId);
  const { view, busy, error } = useAppStore((s) => s.reconcile);
  const runReconcile = useAppStore((s) => s.runReconcile);
  const [cloudtrail, setCloudtrail] = useState('');
  const [plan, setPlan] = useState('');
  const [argocd, setArgocd] = useState('');
  const run = (attach: boolean) => {
    const p = plan.trim();
    const a = argocd.trim();
    void runReconcile({
      cloudtrail: lines(cloudtrail),
      ...(p ? { terraform_plan: p } : {}),
      ...(a ? { argocd: a } : {}),
      attach,
    });
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    run(false);
  };
  const shown = view && view.ceremony_id === activeId ? view : null;
  // Main names the argument (cloudtrail.0); the person sees the field and a sentence.
  const words = error
    ? refusalWords(error, {
        cloudtrail: 'CloudTrail file',
        terraform_plan: 'Terraform plan JSON',
        argocd: 'Argo CD app list JSON',
      })
    : null;
  const fieldError = (path: string) => {
    const own = Object.entries(words?.fields ?? {}).filter(([f]) => f === path || f.startsWith(`${path}.`));
    return own.length ? own.map(([, s]) => s).join(' ') : null;
  };
  return (
    <section className="reconcile" aria-labelledby="reconcile-title" data-testid="reconcile">
      <h2 id="reconcile-title">CloudTrail reconciliation</h2>
      <p className="hint">
        Cleanup runbook Step 3: save <code>aws cloudtrail lookup-events --output json</code> for the session window,
        then paste the file paths here. The files are read on this machine only.
      </p>
      <form onSubmit={submit} aria-describedby={error ? 'reconcile-error' : undefined}>
        <Field
          id="reconcile-cloudtrail"
          label="CloudTrail files (one absolute path per line, up to 10)"
          value={cloudtrail}
          onChange={setCloudtrail}
          multiline
          required
          error={fieldError('cloudtrail')}
        />
        <Field
          id="reconcile-plan"
          label="Terraform plan JSON (optional)"
          hint="terraform show -json post-breakglass.plan > plan.json"
          value={plan}
          onChange={setPlan}
          error={fieldError('terraform_plan')}
        />
        <Field
          id="reconcile-argocd"
          label="Argo CD app list JSON (optional)"
          hint="argocd app list -o json > apps.json"
          value={argocd}
          onChange={setArgocd}
          error={fieldError('argocd')}
        />
        <div className="button-row">
          <button type="submit" disabled={busy} data-testid="reconcile-run">
            Reconcile
          </button>
          <button
            type="button"
            className="primary"
            disabled={busy}
            onClick={() => run(true)}
            data-testid="reconcile-attach"
          >
            Reconcile and attach to the postmortem
          </button>
        </div>
        {error ? (
          <div
            className="refusal"
            role="alert"
            id="reconcile-error"
            data-testid="reconcile-error"
            data-code={error.code}
          >
            <strong>Not reconciled.</strong> {words?.sentence ?? error.message}
          </div>
        ) : null}
      </form>
      {shown ? <ReconcileResult view={shown} /> : null}
    </section>
  );
}

function ReconcileResult(props: { view: ReconcileView }) {
  const v = props.view;
  return (
    <div className="reconcile-result" data-testid="reconcile-result">
      {v.attached_seq !== null ? (
        <p className="ok-text" data-testid="reconcile-attached">
          Attached to the journal as entry #{v.attached_seq}. Export again to write the postmortem with it.
        </p>
      ) : null}
      <p className="hint">
        Principal {v.principal}; window {utcTime(v.window.start)} to {utcTime(v.window.end)} ({v.window.basis}).
      </p>
      <dl className="reconcile-counts" data-testid="reconcile-counts">
        {COUNT_LABELS.map(([key, label, level]) => (
          <div
            key={key}
            className={level && v.counts[key] > 0 ? `count ${level}` : 'count'}
            data-testid={`count-${key}`}
          >
            <dt>{label}</dt>
            <dd>{v.counts[key]}</dd>
          </div>
        ))}
      </dl>
      {v.needs_attention.length > 0 ? (
        <ul className="needs-attention" data-testid="reconcile-attention">
          {v.needs_attention.map((a) => (
            <li key={a}>{a}</li>
          ))}
        </ul>
      ) : (
        <p className="ok-text">Everything CloudTrail shows was declared in the journal.</p>
      )}
      <ol
        className="timeline"
        aria-label="Journal and CloudTrail on one time axis (UTC)"
        data-testid="reconcile-timeline"
      >
        {v.timeline.map((item, i) => (
          <TimelineRow key={`${item.source}-${item.seq ?? item.eventId ?? i}`} item={item} />
        ))}
      </ol>
    </div>
  );
}

const rowId = (item: ReconcileTimelineItem) =>
  item.source === 'journal' ? `tl-journal-${item.seq}` : `tl-event-${item.eventId}`;

/** Moves the focus (and the view) to the other end of a match, without navigating the window. */
function jumpTo(id: string) {
  const el = document.getElementById(id);
  el?.scrollIntoView({ block: 'center' });
  el?.focus();
}

function TimelineRow(props: { item: ReconcileTimelineItem }) {
  const item = props.item;
  const mark = item.mark ?? (item.confirmed_by ? 'matched' : null);
  return (
    <li
      id={rowId(item)}
      tabIndex={-1}
      className={`tl-item source-${item.source} mark-${mark ?? 'none'}`}
      data-mark={mark ?? ''}
      data-source={item.source}
    >
      <time className="tl-time" dateTime={item.at}>
        {utcTime(item.at)}
      </time>
      <span className={`tl-badge badge-${item.source}`}>{item.source === 'journal' ? 'JOURNAL' : 'CLOUDTRAIL'}</span>
      <span className="tl-text">
        {item.seq !== undefined ? <span className="tl-seq">#{item.seq} </span> : null}
        {item.label}
        {mark ? <span className="tl-mark"> — {MARK_WORDS[mark]}</span> : null}
        {item.declared_seq !== undefined ? (
          <button type="button" className="link" onClick={() => jumpTo(`tl-journal-${item.declared_seq}`)}>
            declared in journal entry #{item.declared_seq}
          </button>
        ) : null}
        {(item.confirmed_by ?? []).map((id) => (
          <button key={id} type="button" className="link" onClick={() => jumpTo(`tl-event-${id}`)}>
            CloudTrail {id}
          </button>
        ))}
      </span>
    </li>
  );
}
