import { createHash, createPublicKey, verify, type KeyObject } from 'node:crypto';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { CloudTrailFile } from './cloudtrail-events';
import { ReconcileInputError } from './input-error';
import { isRecord } from './read-json-file';

/** A digest file as read: its uncompressed bytes and, when known, its signature (hex). */
export interface DigestInput {
  file: string;
  content: Buffer;
  /** From `<file>.sig` or `<file>.head.json`; for all but the newest, the next digest carries it. */
  signature?: string;
}

/** `aws cloudtrail list-public-keys --output json`: fingerprint -> key. */
export type PublicKeys = Map<string, KeyObject>;

export interface DigestValidation {
  digests: Array<{ file: string; digestS3Object: string; signatureValid: boolean; problem?: string }>;
  validatedFiles: string[];
  problems: string[];
}

interface Digest {
  input: DigestInput;
  json: Record<string, unknown>;
  sha256: string;
}

const s = (o: Record<string, unknown>, k: string) => (typeof o[k] === 'string' ? (o[k] as string) : '');

export function parsePublicKeys(file: string, json: unknown): PublicKeys {
  const list = isRecord(json) ? (json.PublicKeyList ?? json.publicKeyList) : undefined;
  if (!Array.isArray(list))
    throw new ReconcileInputError(
      file,
      'not `aws cloudtrail list-public-keys --output json` output: no "PublicKeyList" array',
    );
  const keys: PublicKeys = new Map();
  list.forEach((k, i) => {
    if (!isRecord(k) || typeof k.Fingerprint !== 'string' || typeof k.Value !== 'string')
      throw new ReconcileInputError(file, `PublicKeyList[${i}] has no Fingerprint/Value`);
    const der = Buffer.from(k.Value, 'base64');
    // The API documents PKCS#1; keys exported through other tools arrive as SubjectPublicKeyInfo.
    for (const type of ['pkcs1', 'spki'] as const) {
      try {
        keys.set(k.Fingerprint.toLowerCase(), createPublicKey({ key: der, format: 'der', type }));
        return;
      } catch {
        /* try the next encoding */
      }
    }
    throw new ReconcileInputError(file, `PublicKeyList[${i}] (${k.Fingerprint}): Value is not a DER RSA public key`);
  });
  return keys;
}

export function readDigest(file: string, bytes: Buffer, signature: string | undefined): DigestInput {
  let content = bytes;
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      content = gunzipSync(bytes, { maxOutputLength: 64 * 1024 * 1024 });
    } catch {
      throw new ReconcileInputError(file, 'the digest file is gzip-compressed but cut short or corrupt');
    }
  }
  const d: DigestInput = { file, content };
  if (signature !== undefined) d.signature = signature;
  return d;
}

/** AWS's data signing string: end time, bucket/object, hash of the uncompressed digest, previous signature. */
function signingString(d: Digest): string {
  const prev = typeof d.json.previousDigestSignature === 'string' ? d.json.previousDigestSignature : 'null';
  return `${s(d.json, 'digestEndTime')}\n${s(d.json, 'digestS3Bucket')}/${s(d.json, 'digestS3Object')}\n${d.sha256}\n${prev}`;
}

/**
 * CloudTrail log file integrity, offline (CloudTrail user guide, "Custom implementations of
 * CloudTrail log file integrity validation"): each digest's SHA256withRSA signature with the
 * region's public key chosen by fingerprint, the chain through previousDigestSignature and
 * previousDigestHashValue, and each log file's SHA-256 over its uncompressed content.
 */
export function validateDigests(
  inputs: readonly DigestInput[],
  keys: PublicKeys,
  logs: readonly CloudTrailFile[],
): DigestValidation {
  const problems: string[] = [];
  const digests: Digest[] = inputs.map((input) => {
    let json: unknown;
    try {
      json = JSON.parse(input.content.toString('utf8'));
    } catch {
      throw new ReconcileInputError(input.file, 'the digest file is not valid JSON');
    }
    if (!isRecord(json) || !Array.isArray(json.logFiles) || typeof json.digestS3Object !== 'string')
      throw new ReconcileInputError(input.file, 'not a CloudTrail digest file: no "digestS3Object" and "logFiles"');
    return { input, json, sha256: createHash('sha256').update(input.content).digest('hex') };
  });
  digests.sort((a, b) => s(a.json, 'digestEndTime').localeCompare(s(b.json, 'digestEndTime')));
  const byObject = new Map(digests.map((d) => [s(d.json, 'digestS3Object'), d]));
  // A digest's signature: given beside it, or carried by its successor (which also pins its hash).
  const signatureOf = new Map<Digest, string>();
  for (const d of digests) if (d.input.signature) signatureOf.set(d, d.input.signature.trim().toLowerCase());
  for (const d of digests) {
    const prev = byObject.get(s(d.json, 'previousDigestS3Object'));
    if (!prev) continue;
    const carried = s(d.json, 'previousDigestSignature').toLowerCase();
    const given = signatureOf.get(prev);
    if (given && given !== carried)
      problems.push(
        `${d.input.file}: previousDigestSignature does not match the signature given for ${prev.input.file}`,
      );
    signatureOf.set(prev, carried);
    if (s(d.json, 'previousDigestHashValue') !== prev.sha256)
      problems.push(
        `${d.input.file}: previousDigestHashValue does not match ${prev.input.file}: the earlier digest was altered`,
      );
  }
  digests.forEach((d, i) => {
    if (i > 0 && !byObject.has(s(d.json, 'previousDigestS3Object')))
      problems.push(
        `digest chain broken before ${d.input.file}: its previous digest ${s(d.json, 'previousDigestS3Object') || '(none)'} was not given`,
      );
  });

  const results: DigestValidation['digests'] = [];
  const validHashes = new Map<string, string>();
  const namedIn = new Map<string, string>();
  for (const d of digests) {
    const r = {
      file: d.input.file,
      digestS3Object: s(d.json, 'digestS3Object'),
      signatureValid: false,
    } as DigestValidation['digests'][number];
    const key = keys.get(s(d.json, 'digestPublicKeyFingerprint').toLowerCase());
    const sig = signatureOf.get(d);
    if (s(d.json, 'digestSignatureAlgorithm') !== 'SHA256withRSA')
      r.problem = `unsupported digestSignatureAlgorithm "${s(d.json, 'digestSignatureAlgorithm')}"`;
    else if (!key)
      r.problem = `no public key with fingerprint ${s(d.json, 'digestPublicKeyFingerprint')} in the keys given (aws cloudtrail list-public-keys for the digest's region and time)`;
    else if (!sig || !/^[0-9a-f]+$/.test(sig))
      r.problem = 'no signature: give <digest>.sig (x-amz-meta-signature of the S3 object) or the next digest';
    else if (!verify('sha256', Buffer.from(signingString(d), 'utf8'), key, Buffer.from(sig, 'hex')))
      r.problem = "signature does not verify: the digest was altered or is not CloudTrail's";
    else r.signatureValid = true;
    if (r.problem) problems.push(`${d.input.file}: ${r.problem}`);
    results.push(r);
    for (const lf of d.json.logFiles as unknown[]) {
      if (!isRecord(lf)) continue;
      const name = path.basename(s(lf, 'digestS3Object') || s(lf, 's3Object'));
      namedIn.set(name, s(lf, 'hashValue').toLowerCase());
      if (r.signatureValid && s(lf, 'hashAlgorithm') === 'SHA-256')
        validHashes.set(s(lf, 'hashValue').toLowerCase(), name);
    }
  }
  const validatedFiles: string[] = [];
  for (const f of logs) {
    if (f.format === 'lookup-events') continue;
    if (validHashes.has(f.contentSha256)) {
      validatedFiles.push(f.file);
      continue;
    }
    const base = path.basename(f.file);
    const listed = namedIn.get(base) ?? namedIn.get(base.endsWith('.gz') ? base : `${base}.gz`);
    problems.push(
      listed !== undefined
        ? `${f.file}: its SHA-256 differs from the hash the digest records for ${base}: the log file was modified after delivery`
        : `${f.file}: not listed in any validated digest; its events are unverified`,
    );
  }
  return { digests: results, validatedFiles, problems };
}
