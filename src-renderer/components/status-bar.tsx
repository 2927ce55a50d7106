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
  // Unreachable is calm (the ceremony needs no network). Main decides which it is: refused
  // credentials are its 'error' state (sync-errors.ts), never 'offline'; the words are for a person.
  const calm = sync?.state === 'offline';
  const keyText = key ? (key.present ? key.description : (key.error ?? 'No key plugged in')) : 'Key: checking…';
  return (
    <header className="status-bar">
      <span className={`pill ${key?.present ? 'ok' : 'bad'}`} data-testid="key-status">
        Key: {keyText}
        {key?.present && key.error ? <span className="pill-detail"> — {key.error}</span> : null}
      </span>
      {/* Offline is normal during an outage: said calmly (amber, no error codes up front); main's
          exact reason stays available to screen readers and in the tooltip. */}
      <span
        className={`pill ${calm ? 'warn' : (sync?.level ?? 'ok')}`}
        data-testid="sync-status"
        title={calm ? `Sync: ${sync.summary}` : undefined}
      >
        {calm ? (
          <span data-testid="sync-headline" aria-hidden="true">
            Sync: offline — the ceremony works offline; will retry ({sync.pending} waiting)
          </span>
        ) : null}
        <span data-testid="sync-detail" className={calm ? 'sr-only' : undefined}>
          Sync: {sync ? sync.summary : 'checking…'}
        </span>
      </span>
      {sync &&
      sync.state !== 'not-configured' &&
      (sync.pending > 0 || sync.state === 'offline' || sync.state === 'error') ? (
        <button
          type="button"
          className="link"
          disabled={sync.state === 'syncing'}
          onClick={() => void syncNow()}
          data-testid="sync-now"
        >
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
