import { KeepaliveStatus } from './transport/ctaphid-constants';
import { CtapHidClient, type CallOptions } from './transport/ctaphid-client';
import { systemClock } from './key-clock';
import { asKeyError, KeyError } from '../webauthn/key-error';
import { foreignKeyStatus } from './key-status';
import type { KeyOperation } from './ctap/user-verification';
import type { KeyContext } from './key-context';
import { createKeyPresence } from './key-presence';
import { enrolKey } from './key-enrol';
import { tapKey } from './key-tap';
import type { KeyEvent, KeyService, KeyServiceOptions } from './key-service-types';

export type { PinRequest } from './ctap/user-verification';
export type { KeyStatus } from './key-status';
export type { KeyEvent, KeyService, KeyServiceOptions } from './key-service-types';

/** The host's deadline for a touch: then CTAPHID_CANCEL, "not touched". The prompt counts down from it. */
export const TOUCH_TIMEOUT_MS = 30_000;

// Wires presence (key-presence.ts), enrol (key-enrol.ts) and tap (key-tap.ts) around one rule kept
// here: one key transaction at a time, cancellable, with the touch prompt around it.
export function createKeyService(options: KeyServiceOptions): KeyService {
  const clock = options.clock ?? systemClock;
  const touchTimeoutMs = options.touchTimeoutMs ?? TOUCH_TIMEOUT_MS;
  const requireUv = options.requireUserVerification === true;
  if (!options.rpId) throw new KeyError('invalid-input', 'The key service needs an RP ID.');
  const lastSignCount = new Map<string, number>();
  let current: AbortController | null = null;
  let closed = false;
  const presence = createKeyPresence({
    discover: options.discover,
    clock,
    pollMs: options.pollIntervalMs ?? 500,
    pollTimers: options.pollTimers,
    requireUv,
    busy: () => current !== null,
  });

  const emit = (event: KeyEvent) => {
    try {
      options.onEvent?.(event);
    } catch {
      // A broken UI listener must not break a signature.
    }
  };

  /** Runs one operation on the first key that can do it; the next key is tried on 'wrong-key'. */
  async function withKey<T>(
    operation: KeyOperation,
    signal: AbortSignal | undefined,
    run: (client: CtapHidClient, call: CallOptions) => Promise<T>,
  ): Promise<T> {
    if (closed) throw new KeyError('invalid-input', 'The key service is closed.');
    if (current) throw new KeyError('busy', 'Another key operation is in progress. Finish or cancel it first.');
    if (signal?.aborted)
      throw new KeyError('cancelled', `The ${operation === 'tap' ? 'signature' : 'enrolment'} was cancelled.`);
    const controller = new AbortController();
    current = controller;
    const relay = () => controller.abort();
    signal?.addEventListener('abort', relay, { once: true });
    let prompted = false;
    const call: CallOptions = {
      timeoutMs: touchTimeoutMs,
      signal: controller.signal,
      onKeepalive: (s, deadline) => {
        if (s === KeepaliveStatus.UPNEEDED && !prompted) {
          prompted = true;
          emit({ type: 'touch-needed', operation, deadline, timeoutMs: Math.max(0, deadline - clock.now()) });
        }
      },
    };
    let ok = false;
    try {
      const all = await presence.listAllDevices();
      const devices = all.filter((d) => !d.foreign);
      if (devices.length === 0) {
        const foreign = foreignKeyStatus(all);
        throw foreign
          ? new KeyError('not-a-yubikey', foreign.error!)
          : new KeyError('no-key', 'No security key is plugged in. Insert the enrolled YubiKey and retry.');
      }
      let wrongKey: KeyError | null = null;
      for (const device of devices) {
        let client: CtapHidClient;
        try {
          client = await CtapHidClient.open(await options.discover.open(device), { clock });
        } catch (error) {
          throw asKeyError(error, 'unplugged', `Cannot open the key at ${device.path}`);
        }
        try {
          const result = await run(client, call);
          ok = true;
          return result;
        } catch (error) {
          if (error instanceof KeyError && error.code === 'wrong-key') {
            wrongKey = error;
            continue;
          }
          throw asKeyError(error, 'protocol', 'The key failed');
        } finally {
          await client.close();
        }
      }
      throw wrongKey ?? new KeyError('no-key', 'No usable security key is plugged in.');
    } catch (error) {
      if (error instanceof KeyError && error.code === 'unplugged') presence.pollSoon();
      throw error;
    } finally {
      signal?.removeEventListener('abort', relay);
      current = null;
      if (prompted) emit({ type: 'touch-done', operation, ok });
    }
  }

  const context: KeyContext = { rpId: options.rpId, clock, requireUv, askPin: options.askPin, withKey };
  const counts = { last: lastSignCount, recorded: options.recordedSignCount };

  return {
    status: presence.status,
    onChange: presence.onChange,
    enrol: (request) => enrolKey(context, request),
    tap: (request) => tapKey(context, counts, request),
    cancel: () => current?.abort(),
    close() {
      closed = true;
      presence.close();
      current?.abort();
    },
  };
}
