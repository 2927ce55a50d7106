import { afterEach, describe, expect, it } from 'vitest';
import { createEventHub } from '../../src-main/ipc/event-hub';
import { createHandlers } from '../../src-main/ipc/handlers';
import { createCoreServices, type CoreServices } from '../../src-main/services';
import { ceremonyDriver } from '../support/drive-ceremony';
import { installNodeWindow, type NodeWindow } from '../support/node-window';
import { useTempDir } from '../support/temp-dir';

/**
 * What one command costs the window: the real store (Node, no browser) over the real handlers.
 * The reply carries the new state, so a command is one IPC call; the journal-wide status is
 * computed only while the journal view is open, and the ceremony list only while it is shown.
 */
describe('the renderer store after a command', () => {
  const tempDir = useTempDir();
  let core: CoreServices | null = null;
  let win: NodeWindow | null = null;
  let disconnectStore: (() => void) | null = null;

  afterEach(async () => {
    disconnectStore?.();
    win?.disconnect();
    await core?.close();
  });

  async function openWindowInMinimalAction() {
    const events = createEventHub();
    core = createCoreServices({ dataDir: tempDir(), drillOnly: true, drillTouchDelayMs: 0, env: {}, events });
    const handlers = createHandlers(core, { openExternal: async () => undefined });
    const drive = ceremonyDriver(handlers);
    await drive.enrolDrillKey();
    await drive.abortedAfterNotify(core.clock()); // another ceremony in the journal
    const id = await drive.inMinimalAction(core.clock());
    win = installNodeWindow(handlers, events);
    const { useAppStore } = await import('../../src-renderer/store');
    const { connectBridgeEvents } = await import('../../src-renderer/store/bridge-events');
    disconnectStore = connectBridgeEvents();
    const store = useAppStore.getState;
    store().toggleJournal(false);
    expect(await store().resume(id)).toBe(true);
    await win.settled();
    win.calls.length = 0;
    return { store, win, drive, id };
  }

  it('a running-log line is one IPC call: the reply updates the window, nothing journal-wide is re-read', async () => {
    const { store, win } = await openWindowInMinimalAction();
    expect(await store().command('ceremony:logAction', { text: 'ran: aws ec2 describe-instances' })).toBe(true);
    await win.settled();
    expect(win.calls).toEqual(['ceremony:logAction']);
    expect(store().ceremony.state?.actions.map((a) => a.payload.text)).toEqual(['ran: aws ec2 describe-instances']);
  });

  it('with the journal view open, the journal status is computed when it opens and after each change', async () => {
    const { store, win } = await openWindowInMinimalAction();
    store().toggleJournal(true);
    await win.settled();
    expect(win.calls).toEqual(['journal:status']);
    expect(store().journal.status?.ceremonies).toHaveLength(2);
    win.calls.length = 0;
    expect(await store().command('ceremony:addNote', { text: 'noted from the journal view' })).toBe(true);
    await win.settled();
    expect(win.calls).toEqual(['ceremony:addNote', 'journal:status']);
    store().toggleJournal(false);
  });

  it('on the start screen, a change to a ceremony refreshes the list it shows', async () => {
    const { store, win, drive, id } = await openWindowInMinimalAction();
    store().leaveCeremony();
    await win.settled();
    const before = store().ceremony.list.find((c) => c.ceremony_id === id)!.entries;
    win.calls.length = 0;
    // The change comes from elsewhere (here: straight through the handlers).
    await drive.call('ceremony:addNote', id, { text: 'noted while the window shows the start screen' });
    await win.settled();
    expect(win.calls).toEqual(['ceremony:list']);
    expect(store().ceremony.list.find((c) => c.ceremony_id === id)!.entries).toBe(before + 1);
  });
});
