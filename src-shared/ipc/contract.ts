import { z } from 'zod';
import type { EventChannel, InvokeChannel } from './channels';

export { EVENT_CHANNELS, INVOKE_CHANNELS, type EventChannel, type InvokeChannel } from './channels';

/**
 * The whole main <-> renderer surface, as data. Channels are `domain:verb`.
 * Adding a call means adding one line here; the preload and the main-side registry are typed
 * from this object, so the compiler points at whatever still needs the new call.
 * Main validates every argument with these schemas (src-main/ipc/handle.ts).
 */

export const journalStatusSchema = z.object({
  dataDir: z.string(),
  databaseFile: z.string(),
  ceremonies: z.array(
    z.object({
      ceremony_id: z.string(),
      entries: z.number(),
      started_at: z.string(),
      last_at: z.string(),
      head_hash: z.string().nullable(),
      verified: z.boolean(),
      problem: z.string().nullable(),
    }),
  ),
});
export type JournalStatus = z.infer<typeof journalStatusSchema>;

export const invokeContract = {
  'journal:status': { args: z.tuple([]), result: journalStatusSchema },
} as const satisfies Record<InvokeChannel, { args: z.ZodTypeAny; result: z.ZodTypeAny }>;

/** Pushes from main. Every subscription returns its own unsubscribe function. */
export const eventContract = {
  'journal:changed': z.object({ ceremony_id: z.string(), seq: z.number() }),
} as const satisfies Record<EventChannel, z.ZodTypeAny>;

// Both directions: a channel in channels.ts without a schema, or a schema without a name, fails here.
type Exact<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
export const CHANNELS_MATCH: Exact<keyof typeof invokeContract, InvokeChannel> & Exact<keyof typeof eventContract, EventChannel> = true;

/** Errors cross IPC as values: a thrown Error loses everything but its message. */
export type IpcResult<T> = { ok: true; value: T } | { ok: false; error: { code: string; message: string } };

export type InvokeArgs<C extends InvokeChannel> = z.input<(typeof invokeContract)[C]['args']>;
export type InvokeValue<C extends InvokeChannel> = z.output<(typeof invokeContract)[C]['result']>;
export type EventPayload<E extends EventChannel> = z.output<(typeof eventContract)[E]>;

type DomainOf<C extends string> = C extends `${infer D}:${string}` ? D : never;
type VerbOf<C extends string, D extends string> = C extends `${D}:${infer V}` ? V : never;

/** The shape of `window.api`: one namespace per domain, one method per channel. */
export type BridgeApi = {
  [D in DomainOf<InvokeChannel>]: {
    [V in VerbOf<InvokeChannel, D>]: `${D}:${V}` extends infer C extends InvokeChannel
      ? (...args: InvokeArgs<C>) => Promise<IpcResult<InvokeValue<C>>>
      : never;
  };
} & {
  on<E extends EventChannel>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
};
