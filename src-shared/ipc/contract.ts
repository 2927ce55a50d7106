import * as z from 'zod';
import type { Refusal, Result } from '../result';
import { COMMAND_ARGS } from '../ceremony/commands';
import type { CeremonyCatalog, CeremonyState, CeremonySummaryView } from '../ceremony/state-types';
import type { TimelineItem } from '../reconcile/timeline-item';
import {
  CEREMONY_COMMAND_CHANNELS,
  type CeremonyCommandChannel,
  type EventChannel,
  type InvokeChannel,
} from './channels';

export {
  CEREMONY_COMMAND_CHANNELS,
  type CeremonyCommandChannel,
  type EventChannel,
  type InvokeChannel,
} from './channels';

/**
 * The whole main <-> renderer surface, as data. Channels are `domain:verb`.
 * Adding a call means adding one line here; the preload and the main-side registry are typed
 * from this object, so the compiler points at whatever still needs the new call.
 * Main validates every argument with these schemas (src-main/ipc/handle.ts); results are typed
 * only (main produces them), so their schemas are `z.custom` where a full schema would only repeat
 * the ceremony's own types.
 */

export const journalStatusSchema = z.object({
  dataDir: z.string(),
  databaseFile: z.string(),
  /** Append-only triggers found dropped (the file was edited outside Breakglass) and restored on open. */
  restoredGuards: z.array(z.string()),
  ceremonies: z.array(
    z.object({
      ceremony_id: z.string(),
      entries: z.number(),
      started_at: z.string(),
      last_at: z.string(),
      head_hash: z.string().nullable(),
      verified: z.boolean(),
      problem: z.string().nullable(),
      /** What `breakglass verify` would say of its export, pinned to this laptop's keys (null: chain broken, nothing more checked). */
      evidence: z.object({ verdict: z.string(), finding: z.string().nullable() }).nullable(),
    }),
  ),
});
export type JournalStatus = z.infer<typeof journalStatusSchema>;

export interface AppInfo {
  version: string;
  /** Started with --drill: only drill ceremonies, only the virtual key. */
  drill_only: boolean;
  data_dir: string;
  platform: string;
}

export interface ConfigInfo {
  /** The file in use, or null when the built-in example is in use or the file is broken. */
  path: string | null;
  source: 'file' | 'example' | 'invalid';
  /** One line, also recorded in ceremony_started.config_source. */
  description: string;
  /** Shown on every screen while the example configuration (the runbook's tables) is in use. */
  warning: string | null;
  /** A malformed file: which file, one line per problem (key, what was expected). */
  error: { file: string; problems: string[] } | null;
}

export interface EnrolledKeyView {
  label: 'primary' | 'backup';
  credential_id: string;
  /** "hardware: YubiKey", "virtual key", "unknown authenticator". */
  authenticator: string;
  enrolled_at: string;
}

export interface KeyStatusView {
  drill: boolean;
  present: boolean;
  /** "YubiKey 5 NFC, firmware 5.4.3" or "VIRTUAL drill key (not hardware)". */
  description: string;
  error: string | null;
  error_code: string | null;
  operator: string | null;
  enrolled: EnrolledKeyView[];
  /** A tap or enrolment is waiting for a touch right now. */
  touch_waiting: boolean;
  /** Drill only: the on-screen "simulate touch" button presses the virtual key. */
  can_simulate_touch: boolean;
}

/**
 * The key needs its PIN (pin-needed: why, and the tries the key says are left) or no longer does
 * (pin-done). It never carries a PIN: that goes the other way, once, through key:providePin.
 */
export type KeyPinEvent =
  | { drill: boolean; type: 'pin-needed'; operation: 'enrol' | 'tap'; retries: number; message: string }
  | { drill: boolean; type: 'pin-done' };

/**
 * The key waits for a touch (until touch-done). `timeout_ms`: how long main's transport still waits
 * before it cancels (CTAPHID_CANCEL), as main measured it when it asked; the prompt counts down from it.
 */
export type KeyTouchEvent =
  | { drill: boolean; type: 'touch-needed'; operation: 'enrol' | 'tap'; timeout_ms: number }
  | { drill: boolean; type: 'touch-done'; operation: 'enrol' | 'tap'; ok: boolean };

export interface SyncStatusView {
  state: 'not-configured' | 'idle' | 'syncing' | 'offline' | 'error';
  pending: number;
  last_success_at: string | null;
  last_error: string | null;
  next_attempt_at: string | null;
  /** One line for the status bar. */
  summary: string;
  /** How it is shown: ok (green), warn (look when you can), bad (failing). */
  level: 'ok' | 'warn' | 'bad';
}

/** The ceremony service's own types cross IPC unchanged. */
export type CeremonyCatalogView = CeremonyCatalog;
export type CeremonySummaryItem = CeremonySummaryView;

export interface ExportView {
  bundle_path: string;
  session_log_path: string;
  session_log_sha256: string;
  /** Written when a CloudTrail reconciliation is attached (after-care → CloudTrail reconciliation). */
  postmortem_path: string | null;
  /** The generated session-log markdown, for the operator to copy and edit. */
  session_log: string;
}

/** One point on the reconciliation's time axis (src-main/reconcile/timeline.ts), as plain JSON. */
export interface ReconcileTimelineItem extends TimelineItem {
  /** A matched CloudTrail event: the journal entry that declared it. */
  declared_seq?: number;
  /** A journal entry: the CloudTrail events that confirm it. */
  confirmed_by?: string[];
}

export interface ReconcileCounts {
  matched: number;
  unexpected: number;
  readOnly: number;
  declaredButMissing: number;
  iamUsersCreated: number;
  accessKeysCreated: number;
  rolesWithAttachedPolicies: number;
  terraformOrphans: number;
  argocdOutOfSync: number;
}

/** What the after-care screen shows of `breakglass reconcile`; the full report goes into the journal on attach. */
export interface ReconcileView {
  ceremony_id: string;
  principal: string;
  window: { start: string; end: string; basis: string };
  needs_attention: string[];
  counts: ReconcileCounts;
  timeline: ReconcileTimelineItem[];
  /** The `reconciliation_attached` entry, when the operator attached it to the postmortem. */
  attached_seq: number | null;
}

/**
 * An absolute path the operator typed or pasted. Main reads these files (it never writes them);
 * relative paths are refused because main's working directory is not the operator's.
 */
const evidencePathSchema = z
  .string()
  .min(1)
  .max(4096)
  .refine((p) => !p.includes('\0'), { error: 'must not contain a NUL character' })
  .refine((p) => /^(\/|[A-Za-z]:[\\/]|\\\\)/.test(p), {
    error: 'expected an absolute file path (the full path, starting with / or a drive letter)',
  });

export const reconcileArgsSchema = z.strictObject({
  cloudtrail: z
    .array(evidencePathSchema)
    .min(1, { error: 'at least one CloudTrail file is required' })
    .max(10, { error: 'at most 10 CloudTrail files' }),
  terraform_plan: evidencePathSchema.optional(),
  argocd: evidencePathSchema.optional(),
  attach: z.boolean(),
});
export type ReconcileArgs = z.infer<typeof reconcileArgsSchema>;

/** Ceremony ids as the journal accepts them; anything else never reaches the service. */
export const ceremonyIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{2,127}$/, { error: 'expected a ceremony id' });
/** A principal's id as the configuration holds it (an e-mail); main checks it is one of them. */
const operatorIdSchema = z.string().min(1).max(254);
const none = z.tuple([]);
const typed = <T>() => z.custom<T>(() => true);

type CommandSpec<C extends CeremonyCommandChannel> = {
  args: z.ZodTuple<[typeof ceremonyIdSchema, (typeof COMMAND_ARGS)[(typeof CEREMONY_COMMAND_CHANNELS)[C]]], null>;
  result: z.ZodType<CeremonyState>;
};
const commandSpecs = Object.fromEntries(
  (Object.entries(CEREMONY_COMMAND_CHANNELS) as Array<[CeremonyCommandChannel, keyof typeof COMMAND_ARGS]>).map(
    ([channel, name]) => [
      channel,
      { args: z.tuple([ceremonyIdSchema, COMMAND_ARGS[name]]), result: typed<CeremonyState>() },
    ],
  ),
) as unknown as { [C in CeremonyCommandChannel]: CommandSpec<C> };

export const invokeContract = {
  'app:info': { args: none, result: typed<AppInfo>() },
  // Main opens only the AWS console sign-in pages (security.ts allowlist); anything else is refused.
  'app:openConsole': { args: z.tuple([z.string().max(2048)]), result: typed<{ opened: boolean }>() },
  'config:info': { args: none, result: typed<ConfigInfo>() },
  'journal:status': { args: none, result: journalStatusSchema },
  'key:status': {
    args: z.tuple([z.strictObject({ drill: z.boolean(), operator: operatorIdSchema.optional() })]),
    result: typed<KeyStatusView>(),
  },
  'key:enrol': {
    args: z.tuple([
      z.strictObject({
        drill: z.boolean(),
        label: z.enum(['primary', 'backup']),
        operator: operatorIdSchema.optional(),
      }),
    ]),
    result: typed<KeyStatusView>(),
  },
  'key:simulateTouch': { args: none, result: typed<{ touched: boolean }>() },
  // The PIN for the one pending request (null: the operator cancelled); main keeps it for that request only.
  'key:providePin': {
    args: z.tuple([z.strictObject({ drill: z.boolean(), pin: z.string().min(1).max(63).nullable() })]),
    result: typed<{ accepted: boolean }>(),
  },
  'sync:status': { args: none, result: typed<SyncStatusView>() },
  'sync:now': { args: none, result: typed<SyncStatusView>() },
  'ceremony:describe': { args: none, result: typed<CeremonyCatalogView>() },
  'ceremony:list': { args: none, result: typed<CeremonySummaryItem[]>() },
  'ceremony:get': { args: z.tuple([ceremonyIdSchema]), result: typed<CeremonyState>() },
  'ceremony:start': { args: z.tuple([COMMAND_ARGS.start]), result: typed<CeremonyState>() },
  'ceremony:cancelTap': { args: none, result: typed<{ cancelled: boolean }>() },
  'ceremony:export': { args: z.tuple([ceremonyIdSchema]), result: typed<ExportView>() },
  'ceremony:reconcile': { args: z.tuple([ceremonyIdSchema, reconcileArgsSchema]), result: typed<ReconcileView>() },
  ...commandSpecs,
} as const satisfies Record<InvokeChannel, { args: z.ZodTypeAny; result: z.ZodTypeAny }>;

/** Pushes from main. Every subscription returns its own unsubscribe function. */
export const eventContract = {
  'journal:changed': z.object({ ceremony_id: z.string(), seq: z.number() }),
  'ceremony:changed': z.object({ ceremony_id: z.string(), seq: z.number() }),
  'key:changed': typed<KeyStatusView>(),
  'key:touch': typed<KeyTouchEvent>(),
  'key:pin': typed<KeyPinEvent>(),
  'sync:progress': typed<SyncStatusView>(),
} as const satisfies Record<EventChannel, z.ZodTypeAny>;

// Both directions: a channel in channels.ts without a schema, or a schema without a name, fails here.
type Exact<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
/** @public A compile-time check with no run-time use: exported so the compiler keeps it (knip: @public). */
export const CHANNELS_MATCH: Exact<keyof typeof invokeContract, InvokeChannel> &
  Exact<keyof typeof eventContract, EventChannel> = true;

/**
 * Every reply is the core's one result shape (src-shared/result.ts): a thrown Error would lose
 * everything but its message. A refusal carries its code, its sentence, and the field(s) it is
 * about, so the window highlights the field without reading the sentence.
 */
export type IpcResult<T> = Result<T, Refusal>;

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
