import type { KeyClock } from './key-clock';
import { asKeyError, type KeyError } from '../webauthn/key-error';
import { deviceIdentity, foreignKeyStatus, identify, type KeyStatus } from './key-status';
import type { FidoDeviceInfo, KeyDiscovery } from './transport/transport';

// Which key is plugged in, and telling listeners when that changes: the key service's polling half.

export interface KeyPresence {
  /** Every FIDO device, another maker's included (polling notices those too). */
  listAllDevices(): Promise<FidoDeviceInfo[]>;
  status(): Promise<KeyStatus>;
  onChange(listener: (status: KeyStatus) => void): () => void;
  /** Looks again now, not at the next poll: a transaction found the key gone. No timer: a poll is running. */
  pollSoon(): void;
  /** Stops polling and drops the listeners. */
  close(): void;
}

export function createKeyPresence(options: {
  discover: KeyDiscovery;
  clock: KeyClock;
  pollMs: number;
  /** What spaces the polls (default: `clock`); identifying a key keeps `clock` for its deadlines. */
  pollTimers?: Pick<KeyClock, 'setTimeout' | 'clearTimeout'>;
  requireUv: boolean;
  /** A key transaction is running: identifying the key now would collide with it. */
  busy: () => boolean;
}): KeyPresence {
  const { clock, pollMs } = options;
  const timers = options.pollTimers ?? clock;
  const identities = new Map<string, KeyStatus>();
  const listeners = new Set<(status: KeyStatus) => void>();
  let pollTimer: unknown = null;
  let lastSeen: string | null = null;
  let closed = false;

  async function listAllDevices(): Promise<FidoDeviceInfo[]> {
    try {
      return await options.discover.list();
    } catch (error) {
      throw asKeyError(error, 'no-hid-access', 'Cannot list security keys');
    }
  }

  async function status(): Promise<KeyStatus> {
    let all: FidoDeviceInfo[];
    try {
      all = await listAllDevices();
    } catch (error) {
      const e = error as KeyError;
      return { present: false, error: e.message, errorCode: e.code };
    }
    const devices = all.filter((d) => !d.foreign);
    // Cached per physical key, not per path: a key swapped in on the same path is identified afresh.
    const present = new Set(devices.map(deviceIdentity));
    for (const identity of identities.keys()) if (!present.has(identity)) identities.delete(identity);
    const device = devices[0];
    if (!device) return foreignKeyStatus(all) ?? { present: false };
    const identity = deviceIdentity(device);
    const known = identities.get(identity);
    if (known) return known;
    const base: KeyStatus = {
      present: true,
      kind: device.kind,
      path: device.path,
      product: device.product,
      manufacturer: device.manufacturer,
    };
    // The key is in use: identifying it now would collide with the running transaction.
    if (options.busy()) return base;
    try {
      const identified = await identify(options.discover, device, clock, options.requireUv);
      identities.set(identity, identified);
      return identified;
    } catch (error) {
      const e = asKeyError(error, 'protocol', 'Cannot identify the key');
      return { ...base, error: e.message, errorCode: e.code };
    }
  }

  async function poll(): Promise<void> {
    pollTimer = null;
    if (closed || listeners.size === 0) return;
    let fingerprint: string;
    try {
      fingerprint = (await listAllDevices()).map(deviceIdentity).join('\n');
    } catch (error) {
      fingerprint = `error:${(error as Error).message}`;
    }
    if (fingerprint !== lastSeen) {
      lastSeen = fingerprint;
      const now = await status();
      for (const listener of [...listeners]) {
        try {
          listener(now);
        } catch {
          // Listeners are UI code; their failures are theirs.
        }
      }
    }
    if (!closed && listeners.size > 0) pollTimer = timers.setTimeout(() => void poll(), pollMs);
  }

  function pollSoon(): void {
    if (closed || !pollTimer) return;
    timers.clearTimeout(pollTimer);
    pollTimer = timers.setTimeout(() => void poll(), 0);
  }

  function onChange(listener: (status: KeyStatus) => void): () => void {
    listeners.add(listener);
    if (listeners.size === 1 && !pollTimer && !closed) {
      lastSeen = null;
      pollTimer = timers.setTimeout(() => void poll(), 0);
    }
    return () => {
      listeners.delete(listener);
      if (listeners.size === 0 && pollTimer) {
        timers.clearTimeout(pollTimer);
        pollTimer = null;
      }
    };
  }

  function close(): void {
    closed = true;
    listeners.clear();
    if (pollTimer) timers.clearTimeout(pollTimer);
    pollTimer = null;
  }

  return { listAllDevices, status, onChange, pollSoon, close };
}
