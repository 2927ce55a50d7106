import { useAppStore } from '../store';

/** Key, sync and network at a glance; the journal view is one key press away. */
export function StatusBar() {
  const key = useAppStore((s) => s.key.status);
  const sync = useAppStore((s) => s.sync.status);
  const syncNow = useAppStore((s) => s.syncNow);
  const online = useAppStore((s) => s.app.online);
  const config = useAppStore((s) => s.app.config);
  const showJournal = useAppStore((s) => s.app.showJournal);
  const toggleJournal = useAppStore((s) => s.toggleJournal);
  const keyText = key ? (key.present ? key.description : key.error ?? 'No key plugged in') : 'Key: checking…';
  return (
    <header className="status-bar">
      <span className={`pill ${key?.present ? 'ok' : 'bad'}`} data-testid="key-status">
        Key: {keyText}
        {key?.present && key.error ? <span className="pill-detail"> — {key.error}</span> : null}
      </span>
      <span className={`pill ${sync?.level ?? 'ok'}`} data-testid="sync-status">
        Sync: {sync ? sync.summary : 'checking…'}
      </span>
      {sync && sync.state !== 'not-configured' && (sync.pending > 0 || sync.state === 'offline' || sync.state === 'error') ? (
        <button type="button" className="link" disabled={sync.state === 'syncing'} onClick={() => void syncNow()} data-testid="sync-now">
          Sync now
        </button>
      ) : null}
      <span className={`pill ${online ? 'ok' : 'warn'}`} data-testid="network-status">
        {online ? 'Online' : 'Offline — the ceremony works offline; the audit row syncs later'}
      </span>
      <span className="pill" data-testid="config-path">
        Config: {config?.path ?? (config?.source === 'example' ? 'built-in example' : 'invalid')}
        {config?.description ? <span className="sr-only"> ({config.description})</span> : null}
      </span>
      <button type="button" className="link" onClick={() => toggleJournal()} aria-pressed={showJournal}>
        {showJournal ? 'Back to the ceremony' : 'Journal'}
      </button>
    </header>
  );
}
