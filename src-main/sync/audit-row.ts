import type { Checkpoint, JournalEntry } from '../../src-shared/journal/types';
import { actorRoleFor, auditActionFor, auditResultFor } from './audit-actions';

/** What every row of a ceremony shares, read from its `ceremony_started` entry. */
export interface CeremonyFacts {
  operatorId: string;
  ceremonyType: string;
  drill: boolean;
}

export interface AuditRowContext {
  facts(ceremonyId: string): CeremonyFacts;
  checkpoint(ceremonyId: string, seq: number): Checkpoint | undefined;
}

/** A document for agent_audit_log. `_id` is deterministic, so a resend is a duplicate, never a copy. */
export interface AuditRow {
  _id: string;
  timestamp: Date;
  actor_id: string;
  actor_role: string;
  action: string;
  resource_type: string;
  resource_id: string;
  [field: string]: unknown;
}

/** An entry that cannot become a row: the sync stops there and says which and why. */
export class AuditRowError extends Error {
  constructor(
    readonly ceremonyId: string,
    readonly seq: number,
    reason: string,
  ) {
    super(`journal entry ${ceremonyId} #${seq} cannot be turned into an audit row: ${reason}`);
  }
}

/** Ceremony ids never contain ':', so "<ceremony>:<seq>" is unambiguous and sorts per ceremony. */
export function auditRowId(ceremonyId: string, seq: number): string {
  return `${ceremonyId}:${seq}`;
}

/** All row ids of one ceremony lie in [from, to): ';' is the character after ':'. */
export function auditRowIdRange(ceremonyId: string): { from: string; to: string } {
  return { from: `${ceremonyId}:`, to: `${ceremonyId};` };
}

export function buildAuditRow(entry: JournalEntry, context: AuditRowContext): AuditRow {
  if (entry.kind === 'audit_row_written') return buildLoginRow(entry);
  const facts = context.facts(entry.ceremony_id);
  const metadata: Record<string, unknown> = {
    ceremony_id: entry.ceremony_id,
    seq: entry.seq,
    kind: entry.kind,
    recorded_at: entry.recorded_at,
    hash: entry.hash,
    prev_hash: entry.prev_hash,
    ceremony_type: facts.ceremonyType,
    drill: facts.drill,
    payload: entry.payload,
  };
  if (entry.kind === 'step_locked') metadata.checkpoint = checkpointFor(entry, context);
  return {
    _id: auditRowId(entry.ceremony_id, entry.seq),
    timestamp: parseTimestamp(entry, entry.recorded_at, 'recorded_at'),
    actor_id: facts.operatorId,
    actor_role: actorRoleFor(facts.ceremonyType),
    action: auditActionFor(entry.kind),
    resource_type: 'break_glass_ceremony',
    resource_id: entry.ceremony_id,
    result: auditResultFor(entry.kind),
    metadata,
  };
}

const LOGIN_TEXT_FIELDS = [
  'actor_id',
  'actor_role',
  'action',
  'resource_type',
  'resource_id',
  'ip_address',
  'user_agent',
  'result',
] as const;

/**
 * The runbook's row, field for field and in the runbook's order, with `timestamp` as a BSON Date
 * (the journal holds it as ISO text). Nothing is added, so it is exactly what the runbook's
 * insertOne would have written; `_id` ties it to its journal entry.
 */
function buildLoginRow(entry: JournalEntry): AuditRow {
  const row = entry.payload.row;
  if (row === null || typeof row !== 'object' || Array.isArray(row))
    throw new AuditRowError(entry.ceremony_id, entry.seq, 'payload.row is missing');
  const r = row as Record<string, unknown>;
  for (const field of LOGIN_TEXT_FIELDS) {
    if (typeof r[field] !== 'string') throw new AuditRowError(entry.ceremony_id, entry.seq, `row.${field} is not text`);
  }
  const m = r.metadata;
  if (m === null || typeof m !== 'object' || Array.isArray(m))
    throw new AuditRowError(entry.ceremony_id, entry.seq, 'row.metadata is missing');
  const meta = m as Record<string, unknown>;
  if (typeof r.timestamp !== 'string')
    throw new AuditRowError(entry.ceremony_id, entry.seq, 'row.timestamp is not text');
  return {
    _id: auditRowId(entry.ceremony_id, entry.seq),
    timestamp: parseTimestamp(entry, r.timestamp, 'row.timestamp'),
    actor_id: r.actor_id as string,
    actor_role: r.actor_role as string,
    action: r.action as string,
    resource_type: r.resource_type as string,
    resource_id: r.resource_id as string,
    ip_address: r.ip_address,
    user_agent: r.user_agent,
    result: r.result,
    metadata: {
      reason: meta.reason,
      incident_channel: meta.incident_channel,
      expected_session_duration_minutes: meta.expected_session_duration_minutes,
      // A failed root sign-in says what happened (the row's result is "failure").
      ...(typeof meta.failure === 'string' ? { failure: meta.failure } : {}),
    },
  };
}

function parseTimestamp(entry: JournalEntry, text: string, field: string): Date {
  const date = new Date(text);
  if (Number.isNaN(date.getTime()))
    throw new AuditRowError(entry.ceremony_id, entry.seq, `${field} "${text}" is not a date`);
  return date;
}

/** The key-signed checkpoint a step_locked entry refers to, so the row can be checked offline. */
function checkpointFor(entry: JournalEntry, context: AuditRowContext): Record<string, unknown> {
  const ref = entry.payload.checkpoint;
  const seq =
    ref !== null && typeof ref === 'object' && !Array.isArray(ref) ? (ref as Record<string, unknown>).seq : undefined;
  if (typeof seq !== 'number')
    throw new AuditRowError(entry.ceremony_id, entry.seq, 'payload.checkpoint.seq is missing');
  const cp = context.checkpoint(entry.ceremony_id, seq);
  if (!cp) throw new AuditRowError(entry.ceremony_id, entry.seq, `no checkpoint row signs seq ${seq}`);
  return {
    seq: cp.seq,
    head_hash: cp.head_hash,
    step: cp.step,
    client_data_hash: cp.client_data_hash,
    credential_id: cp.credential_id,
    authenticator_data: cp.authenticator_data,
    signature: cp.signature,
    sign_count: cp.sign_count,
    created_at: cp.created_at,
  };
}
