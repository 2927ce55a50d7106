import { EVENT_CHANNELS, INVOKE_CHANNELS } from '../../src-shared/ipc/channels';
import type { EventHub } from '../../src-main/ipc/event-hub';
import { dispatch, type Handlers } from '../../src-main/ipc/handle';

export interface NodeWindow {
  /** Every IPC call the window made, by channel, in order. */
  calls: string[];
  /** Resolves when no call is in flight, including calls that events started meanwhile. */
  settled(): Promise<void>;
  /** Makes this the global `window` (installNodeWindow does it; a bench with two switches). */
  activate(): void;
  disconnect(): void;
}

/**
 * The renderer's `window` in Node, for the store without a browser: `window.api` mirrors the
 * preload bridge over the real handlers (through dispatch, arguments copied as structured clone
 * copies them), and the core's events reach `api.on` listeners as webContents.send reaches the
 * window: before the reply of the call that caused them.
 */
export function installNodeWindow(handlers: Handlers, events: EventHub): NodeWindow {
  const calls: string[] = [];
  const inFlight = new Set<Promise<unknown>>();
  const listeners = new Map<string, Set<(p: unknown) => void>>();
  const api: Record<string, unknown> = {};
  for (const channel of INVOKE_CHANNELS) {
    const [domain, verb] = channel.split(':') as [string, string];
    const ns = (api[domain] ??= {}) as Record<string, unknown>;
    ns[verb] = (...args: unknown[]) => {
      calls.push(channel);
      const call = dispatch(channel, structuredClone(args), () => true, handlers);
      inFlight.add(call);
      void call.finally(() => inFlight.delete(call));
      return call;
    };
  }
  api.on = (event: string, listener: (p: unknown) => void) => {
    if (!(EVENT_CHANNELS as readonly string[]).includes(event)) throw new Error(`unknown event ${event}`);
    const set = listeners.get(event) ?? new Set();
    listeners.set(event, set);
    set.add(listener);
    return () => set.delete(listener);
  };
  const disconnect = events.connect((event, payload) =>
    listeners.get(event)?.forEach((l) => l(structuredClone(payload))),
  );
  const win = { api: Object.freeze(api), addEventListener: () => undefined, removeEventListener: () => undefined };
  const activate = () => {
    (globalThis as Record<string, unknown>).window = win;
  };
  activate();
  if (
    !('navigator' in globalThis) ||
    (globalThis as { navigator?: { onLine?: boolean } }).navigator?.onLine === undefined
  ) {
    Object.defineProperty(globalThis, 'navigator', { value: { onLine: true }, configurable: true });
  }
  return {
    calls,
    activate,
    async settled() {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },
    disconnect() {
      disconnect();
      listeners.clear();
    },
  };
}
