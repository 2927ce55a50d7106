import { useAppStore } from './index';

/**
 * The one place where pushes enter the renderer's store: events from main, and the browser's
 * own online/offline signal. Returns an unsubscribe.
 */
export function connectBridgeEvents(): () => void {
  const store = useAppStore.getState;
  // The network is back: try the sync at once rather than waiting out the backoff.
  const onOnline = () => {
    store().setOnline(true);
    void store().syncNow();
  };
  const onOffline = () => store().setOnline(false);
  window.addEventListener('online', onOnline);
  window.addEventListener('offline', onOffline);
  const unsubscribers = [
    // Each event says which ceremony changed; only what is on screen is read again, so a command
    // costs the same with one ceremony in the journal or hundreds. The journal-wide status (every
    // ceremony verified) is recomputed only while the journal view is open.
    window.api.on('journal:changed', () => {
      if (store().app.showJournal) void store().refreshJournal();
    }),
    window.api.on('ceremony:changed', ({ ceremony_id }) => {
      const { activeId, busy } = store().ceremony;
      // The active ceremony's own command brings its state in the reply (busy until it lands);
      // a change from elsewhere (a failed tap, another window) is read back here.
      if (activeId === ceremony_id && !busy) void store().refreshActive();
      // The list is shown on the start screen only; leaving a ceremony reads it afresh.
      if (activeId === null && !busy) void store().refreshList();
    }),
    window.api.on('key:changed', (status) => store().setKeyStatus(status)),
    window.api.on('key:touch', (event) => store().onTouch(event)),
    window.api.on('key:pin', (event) => store().onPin(event)),
    window.api.on('sync:progress', (status) => store().setSync(status)),
    () => window.removeEventListener('online', onOnline),
    () => window.removeEventListener('offline', onOffline),
  ];
  return () => unsubscribers.forEach((off) => off());
}
