import { isAscii, isUtf8 } from 'node:buffer';
import { canonicalize, CanonicalJsonError } from '../../src-shared/canonical-json';
import { entrySchema } from '../../src-shared/journal/bundle-schema';
import type { ReadFacts } from '../../src-shared/ceremony/history-rules';
import type { Bundle } from '../../src-shared/journal/types';
import { BundleReadError, checkedBundleFields, checkFormatVersion } from './bundle-header';
import { bundleText } from './bundle-text';
import { readCanonicalBundleBytes } from './canonical-bundle-bytes';
import { readCanonicalBundle } from './canonical-bundle-reader';

export { BundleReadError } from './bundle-header';

export type ParsedBundle =
  /** The long way: each payload's canonical text, for the chain check to hash. */
  | { ok: true; bundle: Bundle; payloadTexts: string[] }
  /**
   * The line reader: each entry's chain hash, already recomputed from the file's bytes as read,
   * and from the bytes' own reader the times it read and the lines it built itself
   * (canonical-bundle-bytes.ts's LineRead).
   */
  | ({ ok: true; bundle: Bundle; entryHashes: readonly string[] } & ReadFacts)
  /** Readable, but the text is not the one spelling of what it holds: TAMPERED. */
  | { ok: false; bundle: Bundle; seq: number | null; reason: string };

/**
 * Reads a bundle strictly: UTF-8 with no byte-order mark, JSON, a bundle of this format version
 * with exactly the schema's members, every payload I-JSON (no integer beyond +-(2^53 - 1), no lone
 * surrogate), and the whole text byte-identical to the one spelling export writes (bundle-text.ts).
 * The last check is what refuses duplicate member names, `__proto__` members, `\u`-escaped text,
 * other number spellings and extra whitespace: JSON.parse would accept each of them silently and a
 * reader of the file would see something other than what is hashed.
 *
 * A file in that one spelling is read line by line (canonical-bundle-reader.ts), once; anything
 * else, and anything that reader cannot vouch for, is read here the long way, which also says
 * what is wrong. Both accept exactly the same files (test/main/evidence/canonical-reader.test.ts).
 */
export function parseBundle(input: string | Uint8Array, name = 'bundle'): ParsedBundle {
  if (typeof input === 'string') {
    checkNoByteOrderMark(input.charCodeAt(0) === 0xfeff, name);
    return readCanonicalBundle(input, name) ?? parseBundleText(input, name);
  }
  // isUtf8 is the native strict check (invalid or overlong sequences, lone surrogates); ASCII is UTF-8.
  const ascii = isAscii(input);
  if (!ascii && !isUtf8(input)) throw new BundleReadError(`${name} is not UTF-8 text`);
  const bytes = Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  checkNoByteOrderMark(bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf, name);
  // An honest file is read line by line from its bytes; only the long way decodes it whole.
  return readCanonicalBundleBytes(bytes, name, ascii) ?? parseBundleText(bytes.toString('utf8'), name);
}

function checkNoByteOrderMark(startsWithOne: boolean, name: string): void {
  if (startsWithOne)
    throw new BundleReadError(
      `${name} starts with a byte-order mark; a bundle is plain UTF-8 as \`breakglass export\` writes it`,
    );
}

/** The long way: the whole text parsed, checked and spelled again, naming the first thing wrong. */
export function parseBundleText(text: string, name: string): ParsedBundle {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    const why = error instanceof RangeError ? 'nested too deeply' : (error as Error).message;
    throw new BundleReadError(
      `${name} is not JSON (${why}); a Breakglass bundle is a .bundle.json file written by \`breakglass export\``,
    );
  }
  checkFormatVersion(data, name);
  // The entries (100,000 in a long ceremony) are checked by hand: the same rules as entrySchema,
  // without walking every payload value (JSON.parse only makes JSON; canonicalize checks I-JSON).
  const { entries, ...rest } = data;
  const entryProblem = entriesProblem(entries);
  if (entryProblem) throw new BundleReadError(`${name} is not a well-formed bundle: at ${entryProblem}`);
  const bundle = { ...checkedBundleFields(rest, name), entries: entries as Bundle['entries'] };

  const payloadTexts: string[] = new Array(bundle.entries.length);
  for (let i = 0; i < bundle.entries.length; i++) {
    try {
      payloadTexts[i] = canonicalize(bundle.entries[i]!.payload);
    } catch (error) {
      const why = error instanceof CanonicalJsonError ? error.message.replace(/^\$/, 'payload') : 'nested too deeply';
      return { ok: false, bundle, seq: bundle.entries[i]!.seq, reason: `format: ${why}` };
    }
  }
  const expected = bundleText(bundle, payloadTexts);
  if (expected !== text) return { ok: false, bundle, ...whereTextDiffers(text, expected, bundle) };
  return { ok: true, bundle, payloadTexts };
}

/** Names the entry (or part) where the file departs from its one spelling, and the likely trick. */
function whereTextDiffers(text: string, expected: string, bundle: Bundle): { seq: number | null; reason: string } {
  let at = 0;
  while (at < text.length && text.charCodeAt(at) === expected.charCodeAt(at)) at++;
  const lineNo = text.slice(0, at).split('\n').length - 1;
  const line = text.split('\n', lineNo + 1)[lineNo] ?? '';
  const entriesStart = expected.split('\n').indexOf('  "entries": [');
  const index = lineNo - entriesStart - 1;
  const entry = index >= 0 && index < bundle.entries.length ? bundle.entries[index] : undefined;
  const trick = /"__proto__"/.test(line)
    ? 'a "__proto__" member, which readers drop'
    : /\\u[0-9a-fA-F]{4}/.test(line)
      ? 'an escape where the canonical text has the character itself'
      : 'a duplicate member name, an unknown member, another number or string spelling, or extra whitespace';
  return {
    seq: entry?.seq ?? null,
    reason: `format: ${entry ? `the line of seq ${entry.seq}` : `line ${lineNo + 1}`} is not the canonical spelling of what it holds (${trick}): the file shows something other than what is hashed`,
  };
}

/** The members entrySchema names (one list: the zod schema, from which docs/bundle.schema.json is generated). */
const ENTRY_FIELDS = Object.keys(entrySchema.shape);

/** entrySchema's rules, by hand: exactly these members, strings, a whole non-negative seq, an object payload. */
function entriesProblem(entries: unknown): string | undefined {
  if (!Array.isArray(entries)) return 'entries: expected an array';
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i] as Record<string, unknown> | null;
    if (e === null || typeof e !== 'object' || Array.isArray(e)) return `entries.${i}: expected an object`;
    const keys = Object.keys(e);
    const extra = keys.find((k) => !ENTRY_FIELDS.includes(k));
    if (extra !== undefined) return `entries.${i}: unknown member "${extra.slice(0, 40)}"`;
    for (const f of ENTRY_FIELDS) {
      const v = e[f];
      if (
        f === 'seq'
          ? !Number.isSafeInteger(v) || (v as number) < 0
          : f === 'payload'
            ? v === null || typeof v !== 'object' || Array.isArray(v)
            : typeof v !== 'string'
      ) {
        return `entries.${i}.${f}: ${f === 'seq' ? 'expected a whole number >= 0' : f === 'payload' ? 'expected an object' : 'expected text'}`;
      }
    }
  }
  return undefined;
}
