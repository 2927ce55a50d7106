import { useAppStore } from '../../store';

/** The journal at a glance: where it lives and whether every ceremony in it verifies. */
export function JournalStatusView() {
  const { status, error } = useAppStore((s) => s.journal);
  if (error) return <p role="alert">Journal unavailable: {error}</p>;
  if (!status) return <p>Reading the journal…</p>;
  const broken = status.ceremonies.filter((c) => !c.verified);
  return (
    <section aria-labelledby="journal-heading">
      <h1 id="journal-heading">Journal</h1>
      <p>
        <span className="label">Data directory</span> <code>{status.dataDir}</code>
      </p>
      <p>
        <span className="label">Database</span> <code>{status.databaseFile}</code>
      </p>
      {status.restoredGuards.length > 0 ? (
        <p className="refusal" role="alert" data-testid="journal-guards-restored">
          The journal&apos;s append-only protections had been removed outside Breakglass (
          {status.restoredGuards.join(', ')}) and were put back when it was opened. Whatever was changed while they were
          missing shows below as a ceremony that does not verify.
        </p>
      ) : null}
      {broken.length > 0 ? (
        <p className="refusal" role="alert" data-testid="journal-problems">
          {broken.length === 1 ? 'One ceremony does not verify' : `${broken.length} ceremonies do not verify`}: the
          journal was changed outside Breakglass. Those ceremonies accept only notes and cannot be exported. Tell the
          founders, keep this laptop and the database file as they are, and compare with the bundles and witness codes
          already shared.
        </p>
      ) : null}
      {status.ceremonies.length === 0 ? (
        <p data-testid="journal-empty">No ceremony recorded yet. The journal is ready.</p>
      ) : (
        <ul>
          {status.ceremonies.map((c) => (
            <li key={c.ceremony_id} data-testid="journal-ceremony" className={c.verified ? undefined : 'warn-text'}>
              <span data-testid="journal-chain">
                <code>{c.ceremony_id}</code>: {c.entries} entries,{' '}
                {c.verified ? 'verified' : `NOT VERIFIED (${c.problem})`}
              </span>
              {c.evidence ? (
                <span data-testid="journal-evidence">
                  ; its export would verify as {c.evidence.verdict}
                  {c.evidence.finding ? ` (${c.evidence.finding})` : ''}
                </span>
              ) : null}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
