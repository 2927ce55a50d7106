import { useAppStore } from './index';

/** The one place where pushes from main enter the renderer's store. Returns an unsubscribe. */
export function connectBridgeEvents(): () => void {
  const unsubscribers = [window.api.on('journal:changed', () => void useAppStore.getState().refreshJournal())];
  return () => unsubscribers.forEach((off) => off());
}
