/**
 * Channel names only, without schemas, so the sandboxed preload stays small (no zod).
 * contract.ts checks at compile time that these lists and its schemas name the same channels.
 */
export const INVOKE_CHANNELS = ['journal:status'] as const;
export const EVENT_CHANNELS = ['journal:changed'] as const;

export type InvokeChannel = (typeof INVOKE_CHANNELS)[number];
export type EventChannel = (typeof EVENT_CHANNELS)[number];
