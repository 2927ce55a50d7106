import * as z from 'zod';
import { plainActionLogged } from './action-logged-payload';
import { CEREMONY_TYPES, LOCK_STEPS } from './steps';

/**
 * The payload schema of every journal entry kind the ceremony writes. Strict objects: an entry
 * with an unexpected field (say, a pasted secret) is refused before it can reach the disk.
 */
const iso = z.iso.datetime({ offset: true });
const hex64 = z.string().regex(/^[0-9a-f]{64}$/);
const nonEmpty = z.string().min(1);

export const CHANNELS = ['text', 'call'] as const;

export const accountRef = z.strictObject({
  name: nonEmpty,
  account_id: z.string().regex(/^\d{12}$/),
  principal: nonEmpty,
  credential_location: nonEmpty,
});

export const auditRow = z.strictObject({
  timestamp: iso,
  actor_id: nonEmpty,
  actor_role: z.literal('break_glass_root'),
  action: z.literal('break_glass_root_login'),
  resource_type: z.literal('aws_account'),
  resource_id: z.string().regex(/^\d{12}$/),
  ip_address: nonEmpty,
  user_agent: nonEmpty,
  // "failure": the root sign-in was attempted and did not succeed; the row records the attempt.
  result: z.enum(['success', 'failure']),
  metadata: z.strictObject({
    reason: nonEmpty,
    incident_channel: nonEmpty,
    expected_session_duration_minutes: z.number().int().positive(),
    failure: nonEmpty.optional(),
  }),
});
export type AuditRow = z.infer<typeof auditRow>;

export const parsedAction = z.strictObject({
  service: nonEmpty,
  operation: nonEmpty,
  iam_action: nonEmpty,
  event_source: nonEmpty,
  read_only: z.boolean(),
});

export const ENTRY_SCHEMAS = {
  ceremony_started: z.strictObject({
    type: z.enum(CEREMONY_TYPES),
    drill: z.boolean(),
    operator: z.strictObject({ id: nonEmpty, name: nonEmpty }),
    app_version: nonEmpty,
    config_source: nonEmpty,
    linked_ceremony_id: nonEmpty.optional(),
  }),
  scenario_selected: z.strictObject({
    scenario_id: nonEmpty,
    evidence: z.record(z.string(), z.string()),
    reason: nonEmpty,
  }),
  sso_probe: z.strictObject({
    profile: nonEmpty,
    region: nonEmpty,
    endpoint: nonEmpty,
    attempted_at: iso,
    outcome: z.enum(['sso_unavailable', 'sso_working', 'inconclusive']),
    error_name: z.string().optional(),
    error_message: z.string().optional(),
    caller_arn: z.string().optional(),
  }),
  founder_notified: z.strictObject({
    contact_id: nonEmpty,
    name: nonEmpty,
    channel: z.enum(CHANNELS),
    notified_at: iso,
    acknowledged: z.boolean(),
    acknowledged_at: iso.optional(),
    witness_code: nonEmpty,
    witness_seq: z.number().int().nonnegative(),
    witness_head_hash: hex64,
    /** 'signature': the code comes from the key's signature of the lock at witness_seq (absent: format 1, from the head hash). */
    witness_from: z.literal('signature').optional(),
  }),
  account_selected: z.strictObject({ account: accountRef }),
  signed_in: z.strictObject({ signed_in_at: iso, ip_address: nonEmpty, user_agent: nonEmpty }),
  audit_row_written: z.strictObject({ row: auditRow }),
  action_logged: z.strictObject({
    text: nonEmpty,
    logged_at: iso,
    parsed: z.array(parsedAction),
    warnings: z.array(z.string()),
  }),
  minimal_action_done: z.strictObject({ summary: nonEmpty }),
  signed_out: z.strictObject({
    signed_out_at: iso,
    duration_minutes: z.number().nonnegative(),
    /** The runbook's session-log line: when the standard (SSO) path is expected back. */
    expected_return_to_normal: nonEmpty.optional(),
  }),
  step_locked: z.strictObject({
    step: z.enum(LOCK_STEPS),
    checkpoint: z.strictObject({
      seq: z.number().int().nonnegative(),
      head_hash: hex64,
      credential_id: nonEmpty,
      sign_count: z.number().int().nonnegative(),
      client_data_hash: hex64,
      /** base64 DER: the tap's signature, hashed into the chain so witness codes derive from it. */
      signature: z
        .string()
        .regex(/^[A-Za-z0-9+/]+={0,2}$/)
        .optional(),
    }),
  }),
  tap_failed: z.strictObject({ step: z.enum(LOCK_STEPS), code: nonEmpty, reason: z.string() }),
  role_session_started: z.strictObject({
    role_arn: nonEmpty,
    approver: nonEmpty,
    cleanup_owner: nonEmpty,
    session_started_at: iso,
    expiration: iso,
    source: z.enum(['sts', 'vault']),
  }),
  aftercare_evidence: z.strictObject({
    item_id: nonEmpty,
    text: nonEmpty,
    evidence_at: iso,
    file_sha256: hex64.optional(),
    file_name: nonEmpty.optional(),
  }),
  aftercare_signoff: z.strictObject({ item_id: nonEmpty.optional(), by: nonEmpty, text: nonEmpty }),
  note: z.strictObject({ text: nonEmpty, refers_to_seq: z.number().int().nonnegative().optional() }),
  ceremony_aborted: z.strictObject({ reason: nonEmpty }),
  // Owned by the reconcile module; only its shape is checked loosely here.
  reconciliation_attached: z.looseObject({ report_sha256: hex64 }),
} as const;

export type EntryKind = keyof typeof ENTRY_SCHEMAS;
export type EntryPayload<K extends EntryKind> = z.infer<(typeof ENTRY_SCHEMAS)[K]>;
export const ENTRY_KINDS = Object.keys(ENTRY_SCHEMAS) as EntryKind[];

export function isEntryKind(kind: string): kind is EntryKind {
  return Object.hasOwn(ENTRY_SCHEMAS, kind);
}

/** Validates a payload for its kind; the error names the field and what was expected. */
export function parseEntryPayload<K extends EntryKind>(
  kind: K,
  payload: unknown,
): { ok: true; value: EntryPayload<K> } | { ok: false; message: string } {
  // The running log, by far the most entries, skips zod when it plainly fits (a subset of what zod accepts).
  const plain = kind === 'action_logged' ? plainActionLogged(payload) : undefined;
  if (plain) return { ok: true, value: plain as EntryPayload<K> };
  const result = ENTRY_SCHEMAS[kind].safeParse(payload);
  if (result.success) return { ok: true, value: result.data as EntryPayload<K> };
  const issue = result.error.issues[0];
  const where = issue && issue.path.length > 0 ? issue.path.join('.') : '(payload)';
  return { ok: false, message: `${kind}.${where}: ${issue?.message ?? 'invalid'}` };
}
