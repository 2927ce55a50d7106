import { createHash } from 'node:crypto';
import { canonicalize } from '../../src-shared/canonical-json';
import { WITNESS_WORDS } from '../../src-shared/ceremony/witness-words';
import { enrolledKeySchema } from '../../src-shared/journal/bundle-schema';
import type { EnrolledKey } from '../../src-shared/journal/types';
import { credentialIdProblem, duplicateCredential } from './credential-id';

export const TRUST_FORMAT = 'breakglass.trusted-keys';
export const TRUST_FORMAT_VERSION = 1;

/** What a reviewer pins: the public keys enrolled for real ceremonies, and their fingerprint. */
export interface TrustList {
  keys: EnrolledKey[];
  /** Eight words (64 bits) of SHA-256 over the pinned public data: read aloud at enrolment. */
  fingerprint: string;
}

export class TrustFileError extends Error {}

/**
 * The fingerprint covers what a verdict relies on per key (credential id, public key, relying
 * party, operator and slot), canonically, so two files that pin the same keys for the same
 * people have the same fingerprint and any change to one of those fields changes it.
 */
export function trustFingerprint(keys: readonly EnrolledKey[]): string {
  const pinned = [...keys]
    .map((k) => ({
      credential_id: k.credential_id,
      cose_public_key: k.cose_public_key,
      rp_id: k.rp_id,
      operator: k.operator,
      label: k.label,
    }))
    .sort((a, b) => (a.credential_id < b.credential_id ? -1 : 1));
  const digest = createHash('sha256')
    .update(canonicalize({ format: TRUST_FORMAT, keys: pinned }), 'utf8')
    .digest();
  return [...digest.subarray(0, 8)].map((b) => WITNESS_WORDS[b]!).join(' ');
}

export function trustFileText(keys: readonly EnrolledKey[]): string {
  if (keys.length === 0) throw new TrustFileError('no keys to pin');
  return `${JSON.stringify({ format: TRUST_FORMAT, format_version: TRUST_FORMAT_VERSION, fingerprint: trustFingerprint(keys), keys }, null, 2)}\n`;
}

/**
 * Reads a trusted-keys file strictly. A bundle is refused (pinning the keys a bundle brings with
 * it pins nothing), and so are an empty list, duplicate credential ids (compared as decoded
 * bytes, so base64 and base64url spellings of one id are one id) and a fingerprint that does not
 * match the keys.
 */
export function parseTrustFile(text: string, name: string): TrustList {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new TrustFileError(`${name}: not JSON (${(error as Error).message})`);
  }
  const format = (data as { format?: unknown } | null)?.format;
  if (format === 'breakglass.bundle')
    throw new TrustFileError(
      `${name} is a bundle, not a trusted-keys file: a bundle's own keys pin nothing. Use the file \`breakglass key export-trust\` wrote at enrolment`,
    );
  if (format !== TRUST_FORMAT || (data as { format_version?: unknown }).format_version !== TRUST_FORMAT_VERSION) {
    throw new TrustFileError(
      `${name}: not a trusted-keys file (expected "format": "${TRUST_FORMAT}", "format_version": ${TRUST_FORMAT_VERSION}, as \`breakglass key export-trust\` writes)`,
    );
  }
  const parsed = enrolledKeySchema.array().safeParse((data as { keys?: unknown }).keys);
  if (!parsed.success)
    throw new TrustFileError(
      `${name}: keys: ${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message}`,
    );
  const keys = parsed.data as EnrolledKey[];
  if (keys.length === 0)
    throw new TrustFileError(`${name}: the key list is empty; an empty pin list would pin nothing`);
  for (const k of keys) {
    const problem = credentialIdProblem(k.credential_id);
    if (problem) throw new TrustFileError(`${name}: ${problem}`);
  }
  const dup = duplicateCredential(keys.map((k) => k.credential_id));
  if (dup) throw new TrustFileError(`${name}: ${dup}`);
  const fingerprint = trustFingerprint(keys);
  if ((data as { fingerprint?: unknown }).fingerprint !== fingerprint)
    throw new TrustFileError(`${name}: the recorded fingerprint does not match its keys: the file was edited`);
  return { keys, fingerprint };
}
