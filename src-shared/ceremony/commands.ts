import { z } from 'zod';
import { CEREMONY_TYPES, LOCK_STEPS } from './steps';
import { CHANNELS } from './entry-kinds';

/**
 * The arguments of every ceremony service method, as zod schemas: the IPC contract reuses them
 * as-is, so main validates exactly what the service expects. Times are optional where the app
 * clock is the right default and the operator may correct it ("I called Asad at 13:02").
 */
const iso = z.iso.datetime({ offset: true, error: 'expected an ISO 8601 time such as 2026-05-20T13:00:00Z' });
const text = (max: number) => z.string({ error: 'expected text' }).max(max, { error: `at most ${max} characters` });

export const COMMAND_ARGS = {
  start: z.strictObject({
    type: z.enum(CEREMONY_TYPES),
    drill: z.boolean(),
    operator_id: z.string().min(1).optional(),
    linked_ceremony_id: z.string().min(1).optional(),
  }),
  select_scenario: z.strictObject({
    scenario_id: z.string().min(1),
    evidence: z.record(z.string(), text(2000)),
    reason: text(300),
  }),
  probe_sso: z.strictObject({}),
  notify_founder: z.strictObject({
    contact_id: z.string().min(1),
    channel: z.enum(CHANNELS, { error: 'expected "text" or "call"' }),
    notified_at: iso.optional(),
    acknowledged: z.boolean(),
    acknowledged_at: iso.optional(),
  }),
  select_account: z.strictObject({ account_name: z.string().min(1) }),
  record_sign_in: z.strictObject({
    signed_in_at: iso.optional(),
    ip_address: text(64).optional(),
    user_agent: text(512).optional(),
  }),
  write_audit_row: z.strictObject({
    incident_channel: text(500),
    /** Only when the root sign-in did not succeed (wrong password, MFA rejected): what happened. The row then says result "failure". */
    sign_in_failed: text(500).optional(),
    expected_session_duration_minutes: z.number().int({ error: 'expected whole minutes' }).min(1).max(240, { error: 'at most 240 minutes; break-glass is for the minimum action' }),
  }),
  record_role_session: z.discriminatedUnion('source', [
    // The pasted `aws sts assume-role` output holds secrets; only Expiration and the ARN are kept.
    z.strictObject({ source: z.literal('sts'), assume_role_output: text(20_000), session_started_at: iso.optional() }),
    z.strictObject({ source: z.literal('vault'), role_arn: z.string().min(1), session_started_at: iso, expiration: iso }),
  ]),
  log_action: z.strictObject({ text: text(2000), logged_at: iso.optional() }),
  finish_minimal_action: z.strictObject({ summary: text(2000) }),
  record_sign_out: z.strictObject({ signed_out_at: iso.optional(), expected_return_to_normal: text(300).optional() }),
  lock_step: z.strictObject({ step: z.enum(LOCK_STEPS) }),
  add_note: z.strictObject({ text: text(4000), refers_to_seq: z.number().int().nonnegative().optional() }),
  abort: z.strictObject({ reason: text(1000) }),
  record_aftercare_evidence: z.strictObject({
    item_id: z.string().min(1),
    text: text(4000),
    evidence_at: iso.optional(),
    file_sha256: z.string().regex(/^[0-9a-f]{64}$/, { error: 'expected a hex SHA-256' }).optional(),
    file_name: text(255).optional(),
  }),
  sign_off_aftercare: z.strictObject({ item_id: z.string().min(1).optional(), by: text(200), text: text(4000) }),
} as const;

export type CommandName = keyof typeof COMMAND_ARGS;
export type CommandArgs<N extends CommandName> = z.infer<(typeof COMMAND_ARGS)[N]>;
export type CeremonyCommand = { [N in CommandName]: { name: N; args: CommandArgs<N> } }[CommandName];
export const COMMAND_NAMES = Object.keys(COMMAND_ARGS) as CommandName[];

/** Why a command was refused: a stable code for the UI and a sentence for the person. */
export interface Refusal {
  /** journal-tampered: the ceremony's chain does not verify; only notes are accepted. */
  code: 'invalid-input' | 'out-of-order' | 'locked' | 'not-authorised' | 'not-found' | 'one-try' | 'tap-failed' | 'busy' | 'finished' | 'journal-tampered';
  message: string;
}
