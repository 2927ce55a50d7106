import { useAppStore } from '../store';

/** The operator's enrolled keys; enrol the primary, then the backup. */
export function KeyPanel(props: { drill: boolean }) {
  const status = useAppStore((s) => s.key.status);
  const busy = useAppStore((s) => s.key.busy);
  const error = useAppStore((s) => s.key.error);
  const enrol = useAppStore((s) => s.enrolKey);
  if (!status || status.drill !== props.drill) return <p className="hint">Checking the key…</p>;
  const has = (label: 'primary' | 'backup') => status.enrolled.some((k) => k.label === label);
  const next = !has('primary') ? 'primary' : !has('backup') ? 'backup' : null;
  return (
    <div className="key-panel" data-testid="key-panel">
      <h2>{props.drill ? 'Drill key' : 'Your YubiKey'}</h2>
      <p>
        {status.description}
        {status.error ? <span className="why-not"> — {status.error}</span> : null}
      </p>
      {status.enrolled.length === 0 ? (
        <p className="warn-text">
          No key is enrolled for {status.operator}. Steps lock with a key tap: enrol one first.
        </p>
      ) : (
        <ul className="plain">
          {status.enrolled.map((k) => (
            <li key={k.credential_id} data-testid="enrolled-key">
              {k.label}: {k.authenticator}, enrolled {k.enrolled_at.slice(0, 10)}
            </li>
          ))}
        </ul>
      )}
      {next ? (
        <button
          type="button"
          disabled={busy}
          onClick={() => void enrol(props.drill, next)}
          data-testid={`enrol-${next}`}
        >
          {busy ? 'Touch the key…' : `Enrol the ${next} ${props.drill ? 'virtual drill key' : 'key'}`}
        </button>
      ) : null}
      {error ? (
        <p className="refusal" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}
