import type { BridgeApi } from '../src-shared/ipc/contract';

declare global {
  interface Window {
    /** The preload bridge: the renderer's only way to reach main. */
    api: BridgeApi;
  }
}
export {};
