import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { ReconcileInputError } from './input-error';
import { JsonScanError, JsonScanner, type Range } from './json-scan';
import { isRecord } from './read-json-file';
import { lightEvent, type LookupWrapper, type TrailEvent } from './trail-event';

export type { TrailEvent } from './trail-event';

/** Which shape the file had: each is what a documented AWS tool writes. */
export type CloudTrailFormat = 'lookup-events' | 'trail-log' | 'json-lines';

export interface CloudTrailFile {
  file: string;
  /** hex SHA-256 of the bytes read (compressed as given). */
  sha256: string;
  /** hex SHA-256 of the uncompressed content: what a CloudTrail digest file records. */
  contentSha256: string;
  format: CloudTrailFormat;
  gzip: boolean;
  events: TrailEvent[];
  /** lookup-events pages that carried a NextToken (more pages exist after them). */
  pagesWithNextToken: number;
  /** lookup-events pages in the file. */
  pages: number;
}

/** A gunzipped file may not grow past this: the same cap as a plain input file. */
export const MAX_CLOUDTRAIL_CONTENT_BYTES = 512 * 1024 * 1024;
const NOT_CLOUDTRAIL =
  'not the output of `aws cloudtrail lookup-events --output json`, a trail log file {"Records":[...]} or JSON lines of CloudTrail events';

/** JSON.parse messages quote the input; only the position is kept, so no raw bytes reach a terminal. */
function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const at = /position (\d+)/.exec((error as Error).message);
    throw new Error(at ? `syntax error at character ${at[1]}` : 'syntax error');
  }
}

function decompress(file: string, bytes: Buffer): { content: Buffer; gzip: boolean } {
  if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) return { content: bytes, gzip: false };
  try {
    return { content: gunzipSync(bytes, { maxOutputLength: MAX_CLOUDTRAIL_CONTENT_BYTES }), gzip: true };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === 'ERR_BUFFER_TOO_LARGE'
        ? `unpacks to more than ${MAX_CLOUDTRAIL_CONTENT_BYTES / 1024 / 1024} MiB`
        : 'is cut short or corrupt';
    throw new ReconcileInputError(
      file,
      `the CloudTrail file is gzip-compressed but ${why}; download it again (aws s3 cp) and retry`,
    );
  }
}

/**
 * Reads every CloudTrail event of one input file: `aws cloudtrail lookup-events --output json`
 * (one or several pages), a trail's S3 log file `{"Records":[...]}`, either gzip-compressed, or
 * JSON lines of records or lookup-events entries. Anything else is refused whole, naming the
 * file and the position, never quoting its bytes.
 */
export function parseCloudTrailBytes(file: string, bytes: Buffer): CloudTrailFile {
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const { content: raw, gzip } = decompress(file, bytes);
  const contentSha256 = gzip ? createHash('sha256').update(raw).digest('hex') : sha256;
  const bom = raw[0] === 0xef && raw[1] === 0xbb && raw[2] === 0xbf ? 3 : 0;
  const content = bom ? raw.subarray(bom) : raw;
  const scan = new JsonScanner(content);
  if (scan.skipWs(0) >= content.length) throw new ReconcileInputError(file, 'the CloudTrail file is empty');

  const events: TrailEvent[] = [];
  let pages = 0;
  let pagesWithNextToken = 0;
  let values = 0;
  let kinds = new Set<CloudTrailFormat>();

  const addElement = (r: Range, where: string, kind: 'wrapper' | 'record') => {
    const text = scan.text(r);
    let obj: unknown;
    try {
      obj = parseJson(text);
      if (!isRecord(obj)) throw new Error('is not an object');
    } catch (error) {
      throw new ReconcileInputError(file, `${where}: ${(error as Error).message}`);
    }
    events.push(kind === 'wrapper' ? wrapperEvent(file, obj, where, r, scan) : recordEvent(file, obj, where, r, scan));
  };

  const ARRAYS = new Set(['Events', 'Records']);
  const onElement = (key: string, r: Range, i: number, value: number) => {
    const where = `${value > 1 ? `value ${value}, ` : ''}${key}[${i}]`;
    addElement(r, where, key === 'Events' ? 'wrapper' : 'record');
  };
  try {
    for (const v of scan.values(ARRAYS, onElement)) {
      values++;
      const m = v.members;
      if (!m) {
        if (content[v.start] === 0x5b || content[v.start] === 0x7b) throw new ReconcileInputError(file, NOT_CLOUDTRAIL);
        parseJson(scan.text(v)); // a stray scalar: valid JSON or not, say which
        throw new ReconcileInputError(file, NOT_CLOUDTRAIL);
      }
      const eventsAt = m.get('Events');
      const recordsAt = m.get('Records');
      if (eventsAt && content[eventsAt.start] === 0x5b) {
        pages++;
        kinds.add('lookup-events');
        const next = m.get('NextToken');
        if (next && content[next.start] === 0x22 && next.end - next.start > 2) pagesWithNextToken++;
      } else if (recordsAt && content[recordsAt.start] === 0x5b) {
        kinds.add('trail-log');
      } else if (m.has('CloudTrailEvent')) {
        kinds.add('json-lines');
        addElement(v, `value ${values} (byte ${v.start})`, 'wrapper');
      } else if (m.has('userIdentity') && m.has('eventName')) {
        kinds.add('json-lines');
        addElement(v, `value ${values} (byte ${v.start})`, 'record');
      } else
        throw new ReconcileInputError(
          file,
          values > 1 ? `value ${values} (byte ${v.start}) is ${NOT_CLOUDTRAIL}` : NOT_CLOUDTRAIL,
        );
    }
  } catch (error) {
    if (error instanceof JsonScanError)
      throw new ReconcileInputError(file, `the CloudTrail file is not valid JSON (${error.message})`);
    if (error instanceof ReconcileInputError) throw error;
    throw new ReconcileInputError(file, `the CloudTrail file is not valid JSON (${(error as Error).message})`);
  }
  if (values > 1) kinds = new Set(['json-lines']);
  const format = kinds.size === 1 ? ([...kinds][0] as CloudTrailFormat) : 'json-lines';
  return { file, sha256, contentSha256, format, gzip, events, pages, pagesWithNextToken };
}

function wrapperEvent(
  file: string,
  w: Record<string, unknown>,
  where: string,
  r: Range,
  scan: JsonScanner,
): TrailEvent {
  const id = typeof w.EventId === 'string' && w.EventId.length > 0 ? w.EventId : undefined;
  const fail = (problem: string) =>
    new ReconcileInputError(file, `${where}${id ? ` (EventId ${id})` : ''}: ${problem}`);
  if (!id) throw fail('has no EventId');
  if (typeof w.CloudTrailEvent !== 'string' || w.CloudTrailEvent.length === 0) {
    throw fail(
      'has no CloudTrailEvent string (was the file produced with --query? the reconciler needs the full --output json)',
    );
  }
  let record: unknown;
  try {
    record = parseJson(w.CloudTrailEvent);
  } catch (error) {
    throw fail(`CloudTrailEvent is not valid JSON (${(error as Error).message})`);
  }
  if (!isRecord(record)) throw fail('CloudTrailEvent is not a JSON object');
  const detail = () => {
    const again = JSON.parse(scan.text(r)) as { CloudTrailEvent: string };
    return JSON.parse(again.CloudTrailEvent) as Record<string, unknown>;
  };
  try {
    return lightEvent(record, w as LookupWrapper, file, detail);
  } catch (error) {
    throw fail(`CloudTrailEvent ${(error as Error).message}`);
  }
}

function recordEvent(
  file: string,
  record: Record<string, unknown>,
  where: string,
  r: Range,
  scan: JsonScanner,
): TrailEvent {
  const detail = () => JSON.parse(scan.text(r)) as Record<string, unknown>;
  try {
    return lightEvent(record, undefined, file, detail);
  } catch (error) {
    const id = typeof record.eventID === 'string' ? ` (eventID ${record.eventID})` : '';
    throw new ReconcileInputError(file, `${where}${id}: ${(error as Error).message}`);
  }
}
