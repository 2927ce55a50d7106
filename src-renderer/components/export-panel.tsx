import { useState } from 'react';
import { Refusal } from './refusal';
import { useAppStore } from '../store';

/** Export the bundle and session log, then show where they went and the session log to edit. */
export function ExportPanel() {
  const state = useAppStore((s) => s.ceremony.state)!;
  const exported = useAppStore((s) => s.ceremony.exported);
  const exportCeremony = useAppStore((s) => s.exportCeremony);
  const busy = useAppStore((s) => s.ceremony.busy);
  const [draft, setDraft] = useState<string | null>(null);
  return (
    <div className="export">
      <button
        type="button"
        onClick={() => void exportCeremony().then((ok) => ok && setDraft(null))}
        disabled={busy !== null}
        data-testid="export"
      >
        Export the bundle and session log{state.drill ? ' (DRILL)' : ''}
      </button>
      <Refusal channels={['ceremony:export']} />
      {exported ? (
        <div className="recorded" data-testid="exported">
          <p>
            Bundle: <code>{exported.bundle_path}</code>
          </p>
          <p>
            Session log: <code>{exported.session_log_path}</code> (SHA-256{' '}
            <code>{exported.session_log_sha256.slice(0, 16)}…</code>)
          </p>
          {state.phase === 'aftercare' ? (
            <p data-testid="exported-postmortem">
              {exported.postmortem_path ? (
                <>
                  Postmortem: <code>{exported.postmortem_path}</code>
                </>
              ) : (
                'Postmortem: written once a CloudTrail reconciliation is attached (below).'
              )}
            </p>
          ) : null}
          <label htmlFor="session-log-text">Session log (edit, then commit it under docs/session-log/)</label>
          <textarea
            id="session-log-text"
            className="session-log"
            rows={12}
            value={draft ?? exported.session_log}
            onChange={(e) => setDraft(e.target.value)}
          />
        </div>
      ) : null}
    </div>
  );
}
