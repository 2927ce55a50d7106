import { describe, expect, it } from 'vitest';
import { TOUCH_TIMEOUT_MS } from '../../../src-main/hardware-key/key-service';
import { createVirtualAuthenticator } from '../../../src-main/hardware-key/virtual/virtual-authenticator';
import { virtualDiscovery } from '../../../src-main/hardware-key/virtual/virtual-discovery';
import { createEventHub } from '../../../src-main/ipc/event-hub';
import { createHandlers } from '../../../src-main/ipc/handlers';
import { watchKeys } from '../../../src-main/ipc/key-views';
import { createCoreServices, type CoreOptions } from '../../../src-main/services';
import type { KeyStatusView, KeyTouchEvent } from '../../../src-shared/ipc/contract';
import { useTempDir } from '../../support/temp-dir';

/** The core's plug/unplug polls, run only when the test fires them: no poll waits on a clock. */
function manualPollTimers() {
  let queue: Array<{ fn: () => void; cancelled: boolean }> = [];
  return {
    setTimeout(fn: () => void) {
      const t = { fn, cancelled: false };
      queue.push(t);
      return t;
    },
    clearTimeout(handle: unknown) {
      (handle as { cancelled: boolean }).cancelled = true;
    },
    fire() {
      const live = queue.filter((t) => !t.cancelled);
      queue = [];
      for (const t of live) t.fn();
    },
  };
}

function openCore(dataDir: string, options: Partial<CoreOptions> = {}) {
  const events = createEventHub();
  const changed: KeyStatusView[] = [];
  const touches: KeyTouchEvent[] = [];
  events.connect((event, payload) => {
    if (event === 'key:changed') changed.push(payload as KeyStatusView);
    if (event === 'key:touch') touches.push(payload as KeyTouchEvent);
  });
  const polls = manualPollTimers();
  const core = createCoreServices({
    dataDir,
    drillOnly: true,
    drillTouchDelayMs: 150,
    env: {},
    keyPollTimers: polls,
    ...options,
    events,
  });
  const handlers = createHandlers(core, { openExternal: async () => undefined });
  const stopWatching = watchKeys(core);
  /**
   * Runs the core's polls until `condition` holds on what it pushed. Progress comes from the polls
   * fired here (one at a time: the next is armed when one ends), never from elapsed time; the
   * test's own timeout is only a hang guard.
   */
  async function until(condition: () => boolean): Promise<void> {
    while (!condition()) {
      polls.fire();
      await new Promise((r) => setImmediate(r));
    }
  }
  return { core, handlers, changed, touches, until, close: async () => (stopWatching(), await core.close()) };
}

describe('key:changed and key:touch come from the key service (issue 15, point 11)', () => {
  const tempDir = useTempDir();

  it('the virtual drill key pulled out and put back: key:changed says so, from the key service', async () => {
    const app = openCore(tempDir());
    try {
      expect(await app.handlers['key:status']({ drill: true })).toMatchObject({ ok: true, value: { present: true } });
      await app.until(() => app.changed.some((v) => v.drill && v.present));
      app.core.key(true)!.device!.unplug();
      await app.until(() => app.changed.at(-1)?.present === false);
      expect(app.changed.at(-1)).toMatchObject({
        drill: true,
        present: false,
        description: 'VIRTUAL drill key unplugged',
        touch_waiting: false,
      });
      app.core.key(true)!.device!.plugIn();
      await app.until(() => app.changed.at(-1)?.present === true);
      expect(app.changed.at(-1)).toMatchObject({
        drill: true,
        present: true,
        description: 'VIRTUAL drill key (not hardware)',
      });
    } finally {
      await app.close();
    }
  });

  it('the hardware key is watched from the start: unplugged, it is reported without anyone asking', async () => {
    const device = createVirtualAuthenticator({ touchDelayMs: 0 });
    const app = openCore(tempDir(), { drillOnly: false, realDiscovery: () => virtualDiscovery(device) });
    try {
      await app.until(() => app.changed.some((v) => !v.drill && v.present));
      device.unplug();
      await app.until(() => app.changed.at(-1)?.present === false);
      expect(app.changed.at(-1)).toMatchObject({
        drill: false,
        present: false,
        description: 'No security key plugged in',
      });
    } finally {
      await app.close();
    }
  });

  it.each([
    [undefined, TOUCH_TIMEOUT_MS],
    [90_000, 90_000],
  ])("key:touch carries main's deadline on main's clock (touchTimeoutMs %s → %s ms)", async (setting, expected) => {
    // Main's injected clock stands still, so the time left when the key asks is the whole deadline.
    const frozen = new Date('2026-03-01T02:00:00Z');
    const app = openCore(tempDir(), { clock: () => frozen, ...(setting ? { touchTimeoutMs: setting } : {}) });
    try {
      await app.handlers['key:enrol']({ drill: true, label: 'primary' });
      expect(app.touches.find((t) => t.type === 'touch-needed')).toEqual({
        drill: true,
        type: 'touch-needed',
        operation: 'enrol',
        timeout_ms: expected,
      });
    } finally {
      await app.close();
    }
  });
});
