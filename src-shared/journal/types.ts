import type { JsonObject } from '../canonical-json';

/** seq 0 chains to this. */
export const GENESIS_PREV_HASH = '0'.repeat(64);

/** One append-only journal entry. `hash` covers every other field (see docs/journal-format.md). */
export interface JournalEntry {
  ceremony_id: string;
  seq: number;
  kind: string;
  payload: JsonObject;
  /** UTC, ISO 8601 with milliseconds and a trailing Z. */
  recorded_at: string;
  prev_hash: string;
  hash: string;
}

/** A key tap that signs the journal head `seq`/`head_hash` of one ceremony. */
export interface Checkpoint {
  ceremony_id: string;
  seq: number;
  head_hash: string;
  step: string;
  /** hex SHA-256 of canonicalize({ ceremony_id, seq, head_hash, step }) */
  client_data_hash: string;
  /** base64url */
  credential_id: string;
  /** base64 */
  authenticator_data: string;
  /** base64, DER ECDSA */
  signature: string;
  sign_count: number;
  created_at: string;
}

export interface AttestationStatement {
  alg?: number;
  /** base64 */
  sig?: string;
  /** base64 DER certificates, leaf first */
  x5c?: string[];
}

/** A credential enrolled on an operator's key (primary or backup). Public data only. */
export interface EnrolledKey {
  /** base64url */
  credential_id: string;
  operator: string;
  label: 'primary' | 'backup';
  rp_id: string;
  /** base64 of the COSE_Key CBOR */
  cose_public_key: string;
  /** 32 hex chars */
  aaguid: string;
  fmt: string;
  att_stmt: AttestationStatement | null;
  /** base64 of the authenticatorData returned at enrolment (signed by the attestation) */
  enrolment_authenticator_data: string | null;
  /** hex SHA-256 of the enrolment clientDataHash input */
  enrolment_client_data_hash: string | null;
  enrolled_at: string;
}

export interface CeremonySummary {
  ceremony_id: string;
  entries: number;
  started_at: string;
  last_at: string;
  head_hash: string;
  kind_of_first: string;
}

export type ChainVerdict = { ok: true; count: number; head_hash: string } | { ok: false; seq: number; reason: string };

export const BUNDLE_FORMAT = 'breakglass.bundle';
export const BUNDLE_FORMAT_VERSION = 2;

export interface Bundle {
  format: typeof BUNDLE_FORMAT;
  format_version: typeof BUNDLE_FORMAT_VERSION;
  ceremony_id: string;
  exported_at: string;
  drill: boolean;
  /** The head when exported: entries cut from the end of the array are caught against it. */
  head: { seq: number; hash: string };
  entries: JournalEntry[];
  checkpoints: Checkpoint[];
  keys: EnrolledKey[];
}
