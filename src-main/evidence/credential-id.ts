/**
 * Credential ids are base64url without padding (WebAuthn). Only that one spelling is accepted,
 * and ids are compared as decoded bytes, so one credential cannot appear as two key records
 * (say "hardware" and "software") under two spellings of the same bytes.
 */
const BASE64URL = /^[A-Za-z0-9_-]+$/;

export function credentialIdProblem(id: string): string | undefined {
  if (!BASE64URL.test(id)) return `credential id "${id.slice(0, 24)}" is not base64url`;
  if (Buffer.from(id, 'base64url').toString('base64url') !== id)
    return `credential id "${id.slice(0, 24)}" is not in its one canonical spelling`;
  return undefined;
}

/** The first credential id whose decoded bytes appear twice, said as a problem. */
export function duplicateCredential(ids: readonly string[]): string | undefined {
  const seen = new Set<string>();
  for (const id of ids) {
    const bytes = Buffer.from(id, 'base64url').toString('hex');
    if (seen.has(bytes)) return `two key records for one credential (${id.slice(0, 16)}…)`;
    seen.add(bytes);
  }
  return undefined;
}
