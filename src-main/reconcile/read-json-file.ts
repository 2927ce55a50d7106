import { createHash } from 'node:crypto';
import { InputFileError, readRegularFileBytesSync } from '../fs/read-input-file';
import { ReconcileInputError } from './input-error';

export interface JsonFile {
  file: string;
  /** hex SHA-256 of the bytes read, so the report says exactly which evidence it used. */
  sha256: string;
  json: unknown;
}

/**
 * Reads and parses one JSON input file; every failure names the file. Only a regular file of at
 * most `maxBytes` is read (a FIFO or /dev/zero would hang or exhaust the process); `preread` is
 * the same file's bytes when the app already read them off its main thread.
 */
export function readJsonFile(file: string, what: string, maxBytes: number, preread?: Buffer): JsonFile {
  let bytes: Buffer;
  try {
    bytes = preread ?? readRegularFileBytesSync(file, { maxBytes, what: what.replace(/^the /, '') });
  } catch (error) {
    if (error instanceof InputFileError) throw new ReconcileInputError(file, error.detail);
    throw error;
  }
  const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
  if (text.trim().length === 0) throw new ReconcileInputError(file, `${what} is empty`);
  try {
    return { file, sha256: createHash('sha256').update(bytes).digest('hex'), json: JSON.parse(text) as unknown };
  } catch (error) {
    throw new ReconcileInputError(file, `${what} is not valid JSON (${(error as Error).message})`);
  }
}

export const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
