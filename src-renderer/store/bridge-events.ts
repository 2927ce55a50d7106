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
    window.api.on('journal:changed', () => void store().refreshJournal()),
    window.api.on('ceremony:changed', ({ ceremony_id }) => {
      if (store().ceremony.activeId === ceremony_id && !store().ceremony.busy) void store().refreshActive();
      void store().refreshList();
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
