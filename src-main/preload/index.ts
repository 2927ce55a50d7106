// The one bridge between the sandboxed renderer and main: named methods generated from the
// IPC contract, never a raw ipcRenderer. Runs sandboxed, so it may import only electron and
// src-shared.
import { contextBridge, ipcRenderer } from 'electron';
import { EVENT_CHANNELS, INVOKE_CHANNELS, type EventChannel } from '../../src-shared/ipc/channels';
import type { BridgeApi } from '../../src-shared/ipc/contract';

const api: Record<string, unknown> = {};
for (const channel of INVOKE_CHANNELS) {
  const [domain, verb] = channel.split(':') as [string, string];
  const namespace = (api[domain] ??= {}) as Record<string, unknown>;
  namespace[verb] = (...args: unknown[]) => ipcRenderer.invoke(channel, ...args);
}
api.on = (event: EventChannel, listener: (payload: unknown) => void) => {
  if (!(EVENT_CHANNELS as readonly string[]).includes(event)) throw new Error(`unknown event ${String(event)}`);
  const wrapped = (_e: unknown, payload: unknown) => listener(payload);
  ipcRenderer.on(event, wrapped);
  return () => {
    ipcRenderer.removeListener(event, wrapped);
  };
};

contextBridge.exposeInMainWorld('api', Object.freeze(api) as BridgeApi);
