import { createHash } from 'node:crypto';
import { InputFileError, MAX_CLOUDTRAIL_BYTES, readRegularFileBytesSync } from '../fs/read-input-file';
import { ReconcileInputError } from './input-error';

export interface JsonFile {
  file: string;
  /** hex SHA-256 of the bytes read, so the report says exactly which evidence it used. */
  sha256: string;
  json: unknown;
}

/** The largest reconcile input read: past V8's string limit a file cannot be parsed anyway. */
export const MAX_RECONCILE_INPUT_BYTES = MAX_CLOUDTRAIL_BYTES;

/**
 * The one place reconcile reads a file: regular files only (a FIFO or device is refused before
 * it is read), size-capped (src-main/fs/read-input-file.ts), the refusal as one line naming it.
 */
export function readInputBytes(file: string, what: string, maxBytes = MAX_RECONCILE_INPUT_BYTES): Buffer {
  try {
    // The reader's own lines say "the <what> is …"; callers here name it "the CloudTrail file".
    return readRegularFileBytesSync(file, { maxBytes, what: what.replace(/^the /, '') });
  } catch (error) {
    if (error instanceof InputFileError) throw new ReconcileInputError(file, error.detail);
    throw error;
  }
}

/** Reads and parses one JSON input file; every failure names the file, never quotes its bytes. */
export function readJsonFile(file: string, what: string): JsonFile {
  const bytes = readInputBytes(file, what);
  const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
  if (text.trim().length === 0) throw new ReconcileInputError(file, `${what} is empty`);
  try {
    return { file, sha256: createHash('sha256').update(bytes).digest('hex'), json: JSON.parse(text) as unknown };
  } catch (error) {
    const at = /position (\d+)/.exec((error as Error).message);
    const gz = bytes[0] === 0x1f && bytes[1] === 0x8b ? '; it is gzip-compressed: gunzip it first' : '';
    throw new ReconcileInputError(
      file,
      `${what} is not valid JSON (syntax error${at ? ` at character ${at[1]}` : ''})${gz}`,
    );
  }
}

export const isRecord = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);
