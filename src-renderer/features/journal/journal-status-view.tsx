import { useAppStore } from '../../store';

/** The journal at a glance: where it lives and whether every ceremony in it verifies. */
export function JournalStatusView() {
  const { status, error } = useAppStore((s) => s.journal);
  if (error) return <p role="alert">Journal unavailable: {error}</p>;
  if (!status) return <p>Reading the journal…</p>;
  return (
    <section aria-labelledby="journal-heading">
      <h2 id="journal-heading">Journal</h2>
      <p>
        <span className="label">Data directory</span> <code>{status.dataDir}</code>
      </p>
      {status.ceremonies.length === 0 ? (
        <p data-testid="journal-empty">No ceremony recorded yet. The journal is ready.</p>
      ) : (
        <ul>
          {status.ceremonies.map((c) => (
            <li key={c.ceremony_id} data-testid="journal-ceremony">
              <code>{c.ceremony_id}</code>: {c.entries} entries, {c.verified ? 'verified' : `NOT VERIFIED (${c.problem})`}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
