import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ReconcileInputError } from './input-error';

export interface JsonFile {
  file: string;
  /** hex SHA-256 of the bytes read, so the report says exactly which evidence it used. */
  sha256: string;
  json: unknown;
}

/** Reads and parses one JSON input file; every failure names the file. */
export function readJsonFile(file: string, what: string): JsonFile {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory, not a file' : code === 'EACCES' ? 'permission denied' : (error as Error).message;
    throw new ReconcileInputError(file, `cannot read ${what}: ${why}`);
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
