import type { Database } from 'better-sqlite3';
import path from 'node:path';
import { canonicalize, type JsonObject } from '../../src-shared/canonical-json';
import { findLoneSurrogate } from '../../src-shared/well-formed-text';
import {
  GENESIS_PREV_HASH,
  type ChainVerdict,
  type Checkpoint,
  type CeremonySummary,
  type JournalEntry,
} from '../../src-shared/journal/types';
import { DATABASE_FILE, openDatabase } from '../db/open-database';
import { openDatabaseReadOnly } from '../db/open-database-readonly';
import { entryHashWithPayloadText } from './entry-hash';
import { JournalClockError, JournalError } from './journal-errors';
import { restoreAppendOnlyGuards } from '../db/append-only-guards';
import { HASH_INPUT_PAGE_SQL, HASH_LINE_PAGE_SQL } from './hash-input-sql';
import { walkIntact } from './intact-walk';
import { checkpointBindingProblem, lockWithoutCheckpoint, type BoundEntry } from './checkpoint-binding';
import { verifyStoredEntries, verifyStoredRows, type StoredEntry } from './verify-chain';

export type Clock = () => Date;

export interface Journal {
  readonly db: Database;
  readonly file: string;
  /** Append-only triggers that had been dropped outside Breakglass and were put back on open. */
  readonly restoredGuards: readonly string[];
  append(ceremonyId: string, kind: string, payload: JsonObject): JournalEntry;
  appendLocked(ceremonyId: string, kind: string, payload: JsonObject, checkpoint: Checkpoint): JournalEntry;
  entries(ceremonyId: string): JournalEntry[];
  /** Entries with the payload as the stored canonical text, for verifying and exporting in bulk. */
  storedEntries(ceremonyId: string): StoredEntry[];
  /** The chain check of entries already read with storedEntries, against the recorded head (one read, not two). */
  verifyRead(ceremonyId: string, stored: readonly StoredEntry[]): ChainVerdict;
  /** How many entries the ceremony has (whatever their seq). */
  storedCount(ceremonyId: string): number;
  /** The heads table's record of the last entry. */
  recordedHead(ceremonyId: string): { seq: number; hash: string } | undefined;
  head(ceremonyId: string): JournalEntry | undefined;
  ceremonies(): CeremonySummary[];
  verify(ceremonyId: string): ChainVerdict;
  /**
   * The checkpoints table against the entries (checkpoint-binding.ts): every checkpoint signs the
   * entry at its seq and is recorded by the step_locked entry after it, and every step_locked
   * entry has its checkpoint. Structure only; the signatures are the bundle verifier's. A
   * problem, or undefined. verify and verifyRead include it.
   */
  checkpointProblem(ceremonyId: string): { seq: number; reason: string } | undefined;
  checkpoints(ceremonyId: string): Checkpoint[];
  entriesAfterRowid(rowid: number, limit: number): Array<{ rowid: number; entry: JournalEntry }>;
  close(): void;
}

export { JournalClockError, JournalError };

/** An entry as checkpoint binding reads it; a payload that is not JSON binds to nothing. */
function toBound(row: { seq: number; kind: string; hash: string; payload: string }): BoundEntry {
  let payload: JsonObject = {};
  try {
    const parsed = JSON.parse(row.payload) as unknown;
    if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) payload = parsed as JsonObject;
  } catch {
    // an unreadable payload cannot record a tap: the binding check says so
  }
  return { seq: row.seq, kind: row.kind, hash: row.hash, payload };
}

interface EntryRow {
  ceremony_id: string;
  seq: number;
  kind: string;
  payload: string;
  recorded_at: string;
  prev_hash: string;
  hash: string;
}

const CEREMONY_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{2,127}$/;
const KIND = /^[a-z][a-z0-9_]{0,63}$/;
/** Rows per page when verifying: large enough to amortise the query, small enough to keep memory flat. */
const VERIFY_PAGE = 1000;

/** Opens the journal in `dataDir` (creating it), migrating the database as needed. */
export interface JournalOpenOptions {
  /** Which clock a refusal blames: "the system clock" (default), "the drill's simulated clock". */
  clockName?: string;
  /**
   * For commands that only read: nothing in the data directory is created or written, no
   * migration runs, the guards are not restored, and append throws (open-database-readonly.ts).
   */
  readonly?: boolean;
}

export function openJournal(options: { dataDir: string; clock?: Clock } & JournalOpenOptions): Journal {
  return openJournalAt(path.join(options.dataDir, DATABASE_FILE), options.clock, options);
}

export function openJournalAt(
  file: string,
  clock: Clock = () => new Date(),
  options: JournalOpenOptions = {},
): Journal {
  const clockName = options.clockName ?? 'the system clock';
  const readonly = options.readonly === true;
  const db = readonly ? openDatabaseReadOnly(file) : openDatabase(file);
  const restoredGuards = file === ':memory:' || readonly ? [] : restoreAppendOnlyGuards(db);
  const q = prepare(db);
  function checkpointProblem(ceremonyId: string): { seq: number; reason: string } | undefined {
    const checkpoints = q.checkpoints.all(ceremonyId) as Checkpoint[];
    const locks = (q.stepLocks.all(ceremonyId) as EntryRow[]).map(toBound);
    const signed = new Set<number>();
    for (const cp of checkpoints) {
      const problem = checkpointBindingProblem(
        ceremonyId,
        cp,
        (seq) => {
          const row = q.entryAt.get(ceremonyId, seq) as EntryRow | undefined;
          return row ? toBound(row) : undefined;
        },
        signed,
      );
      if (problem) return { seq: cp.seq, reason: `checkpoint "${cp.step}" at seq ${cp.seq}: ${problem}` };
    }
    return lockWithoutCheckpoint(locks, signed);
  }

  /** Whole ceremonies: the chain, then its checkpoints (only an intact chain is worth binding to). */
  function withCheckpoints(ceremonyId: string, verdict: ChainVerdict): ChainVerdict {
    if (!verdict.ok) return verdict;
    const problem = checkpointProblem(ceremonyId);
    return problem ? { ok: false, ...problem } : verdict;
  }

  const readLines = (ceremonyId: string) => (fromSeq: number, limit: number) =>
    q.hashLines.all(ceremonyId, fromSeq, limit) as Array<string | null>;

  function rowToEntry(row: EntryRow): JournalEntry {
    return { ...row, payload: JSON.parse(row.payload) as JsonObject };
  }

  function buildNext(
    ceremonyId: string,
    kind: string,
    payload: JsonObject,
  ): { entry: JournalEntry; payloadText: string } {
    if (!CEREMONY_ID.test(ceremonyId)) throw new JournalError(`"${ceremonyId}" is not a valid ceremony id`);
    if (!KIND.test(kind)) throw new JournalError(`"${kind}" is not a valid entry kind`);
    if (payload === null || typeof payload !== 'object' || Array.isArray(payload))
      throw new JournalError('an entry payload must be a JSON object');
    // Journal text is valid Unicode: a lone surrogate hashes differently outside JavaScript and
    // comes back from MongoDB as U+FFFD. The edges replace them; this refuses what slipped past.
    const lone = findLoneSurrogate(payload);
    if (lone)
      throw new JournalError(
        `the ${kind} entry's text at ${lone} holds a lone UTF-16 surrogate, which is not valid Unicode; nothing was written (replace it with U+FFFD where the text came in)`,
      );
    // What is hashed is exactly what is stored, and what the caller gets back is that, parsed.
    const payloadText = canonicalize(payload);
    // The head with its time in one statement: the clock check costs no extra query per append.
    const head = q.headWithTime.get(ceremonyId) as
      { seq: number; hash: string; recorded_at: string | null } | undefined;
    const recordedAt = clock().toISOString();
    if (head) {
      const last = head.recorded_at;
      // ISO 8601 strings of one format order as their instants do.
      if (last !== null && recordedAt < last) {
        throw new JournalClockError(
          `${clockName} reads ${recordedAt}, earlier than the last entry of ceremony ${ceremonyId} (seq ${head.seq}, recorded at ${last}); nothing was written. Set ${clockName} right (or wait until it passes ${last}) and try again.`,
        );
      }
    }
    const base = {
      ceremony_id: ceremonyId,
      seq: head ? head.seq + 1 : 0,
      kind,
      recorded_at: recordedAt,
      prev_hash: head ? head.hash : GENESIS_PREV_HASH,
    };
    const entry = {
      ...base,
      payload: JSON.parse(payloadText) as JsonObject,
      hash: entryHashWithPayloadText(base, payloadText),
    };
    return { entry, payloadText };
  }

  function insert({ entry, payloadText }: { entry: JournalEntry; payloadText: string }): void {
    q.insertEntry.run(
      entry.ceremony_id,
      entry.seq,
      entry.kind,
      payloadText,
      entry.recorded_at,
      entry.prev_hash,
      entry.hash,
    );
    if (entry.seq === 0) q.insertHead.run(entry.ceremony_id, entry.seq, entry.hash);
    else q.moveHead.run(entry.seq, entry.hash, entry.ceremony_id);
  }

  function assertWritable(): void {
    if (readonly)
      throw new JournalError('this journal was opened read-only, for a command that only reads; nothing was written');
  }

  const appendTx = db.transaction((ceremonyId: string, kind: string, payload: JsonObject) => {
    const next = buildNext(ceremonyId, kind, payload);
    insert(next);
    return next.entry;
  });

  const appendLockedTx = db.transaction((ceremonyId: string, kind: string, payload: JsonObject, cp: Checkpoint) => {
    const head = q.head.get(ceremonyId) as { seq: number; hash: string } | undefined;
    if (!head || cp.ceremony_id !== ceremonyId || head.seq !== cp.seq || head.hash !== cp.head_hash) {
      throw new JournalError('the checkpoint does not sign the current journal head; tap again');
    }
    q.insertCheckpoint.run(cp);
    const next = buildNext(ceremonyId, kind, payload);
    insert(next);
    return next.entry;
  });

  return {
    db,
    file,
    restoredGuards,
    // better-sqlite3 is synchronous and the database is in WAL with synchronous=FULL: when the
    // transaction returns, the entry is on disk.
    append: (ceremonyId, kind, payload) => {
      assertWritable();
      return appendTx.immediate(ceremonyId, kind, payload);
    },
    appendLocked: (ceremonyId, kind, payload, checkpoint) => {
      assertWritable();
      return appendLockedTx.immediate(ceremonyId, kind, payload, checkpoint);
    },
    entries: (ceremonyId) => (q.entries.all(ceremonyId) as EntryRow[]).map(rowToEntry),
    storedEntries: (ceremonyId) => q.entries.all(ceremonyId) as StoredEntry[],
    verifyRead: (ceremonyId, stored) => {
      const recorded = q.head.get(ceremonyId) as { seq: number; hash: string } | undefined;
      return recorded
        ? withCheckpoints(ceremonyId, verifyStoredEntries(ceremonyId, stored, recorded))
        : { ok: false, seq: 0, reason: 'the ceremony has entries but no recorded head' };
    },
    storedCount: (ceremonyId) => (q.countOf.get(ceremonyId) as { n: number }).n,
    recordedHead: (ceremonyId) => q.head.get(ceremonyId) as { seq: number; hash: string } | undefined,
    head: (ceremonyId) => {
      const row = q.lastEntry.get(ceremonyId) as EntryRow | undefined;
      return row ? rowToEntry(row) : undefined;
    },
    ceremonies: () => q.ceremonies.all() as CeremonySummary[],
    // Verification runs the intact path first (one string per entry, a one-shot hash, three
    // comparisons) and only when that is not "intact, through the recorded head" the explaining
    // walk, which names the first bad seq and why.
    verify: (ceremonyId) => {
      const head = q.head.get(ceremonyId) as { seq: number; hash: string } | undefined;
      const readPage = (fromSeq: number) =>
        q.hashInputs.all(ceremonyId, fromSeq, VERIFY_PAGE) as Array<[number, string | null, string, string]>;
      if (!head) {
        return readPage(0).length > 0
          ? { ok: false, seq: 0, reason: 'the ceremony has entries but no recorded head' }
          : verifyStoredRows(readPage);
      }
      const intact = walkIntact(readLines(ceremonyId), 0, Infinity, GENESIS_PREV_HASH, VERIFY_PAGE);
      if (intact.ok && intact.count === head.seq + 1 && intact.lastHash === head.hash)
        return withCheckpoints(ceremonyId, { ok: true, count: intact.count, head_hash: head.hash });
      return withCheckpoints(ceremonyId, verifyStoredRows(readPage, head));
    },
    checkpointProblem,
    checkpoints: (ceremonyId) => q.checkpoints.all(ceremonyId) as Checkpoint[],
    entriesAfterRowid: (rowid, limit) =>
      (q.afterRowid.all(rowid, limit) as Array<EntryRow & { rowid: number }>).map(({ rowid: r, ...row }) => ({
        rowid: r,
        entry: rowToEntry(row),
      })),
    close: () => db.close(),
  };
}

function prepare(db: Database) {
  return {
    head: db.prepare('SELECT seq, hash FROM heads WHERE ceremony_id = ?'),
    insertEntry: db.prepare(
      'INSERT INTO entries (ceremony_id, seq, kind, payload, recorded_at, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?)',
    ),
    insertHead: db.prepare('INSERT INTO heads (ceremony_id, seq, hash) VALUES (?, ?, ?)'),
    moveHead: db.prepare('UPDATE heads SET seq = ?, hash = ? WHERE ceremony_id = ?'),
    insertCheckpoint: db.prepare(
      `INSERT INTO checkpoints (ceremony_id, seq, head_hash, step, client_data_hash, credential_id, authenticator_data, signature, sign_count, created_at)
       VALUES (@ceremony_id, @seq, @head_hash, @step, @client_data_hash, @credential_id, @authenticator_data, @signature, @sign_count, @created_at)`,
    ),
    entries: db.prepare(
      'SELECT ceremony_id, seq, kind, payload, recorded_at, prev_hash, hash FROM entries WHERE ceremony_id = ? ORDER BY seq',
    ),
    // LEFT JOIN: a head whose entry is missing (a damaged file) still appends after it, as the trigger checks.
    headWithTime: db.prepare(
      'SELECT h.seq, h.hash, e.recorded_at FROM heads h LEFT JOIN entries e ON e.ceremony_id = h.ceremony_id AND e.seq = h.seq WHERE h.ceremony_id = ?',
    ),
    entryAt: db.prepare(
      'SELECT ceremony_id, seq, kind, payload, recorded_at, prev_hash, hash FROM entries WHERE ceremony_id = ? AND seq = ?',
    ),
    // Served by the partial index entries_step_locks (migration 0060).
    stepLocks: db.prepare(
      `SELECT ceremony_id, seq, kind, payload, recorded_at, prev_hash, hash FROM entries WHERE ceremony_id = ? AND kind = 'step_locked' ORDER BY seq`,
    ),
    lastEntry: db.prepare(
      'SELECT ceremony_id, seq, kind, payload, recorded_at, prev_hash, hash FROM entries WHERE ceremony_id = ? ORDER BY seq DESC LIMIT 1',
    ),
    ceremonies: db.prepare(
      `SELECT e.ceremony_id, COUNT(*) AS entries, MIN(e.recorded_at) AS started_at, MAX(e.recorded_at) AS last_at,
              h.hash AS head_hash, (SELECT kind FROM entries f WHERE f.ceremony_id = e.ceremony_id AND f.seq = 0) AS kind_of_first
       FROM entries e LEFT JOIN heads h ON h.ceremony_id = e.ceremony_id
       GROUP BY e.ceremony_id ORDER BY started_at`,
    ),
    // The JCS text of each entry, assembled by SQLite (members in JCS order; see verifyStoredRows).
    hashInputs: db.prepare(HASH_INPUT_PAGE_SQL).raw(),
    hashLines: db.prepare(HASH_LINE_PAGE_SQL).pluck(),
    countOf: db.prepare('SELECT COUNT(*) AS n FROM entries WHERE ceremony_id = ?'),
    checkpoints: db.prepare('SELECT * FROM checkpoints WHERE ceremony_id = ? ORDER BY seq'),
    afterRowid: db.prepare(
      'SELECT id AS rowid, ceremony_id, seq, kind, payload, recorded_at, prev_hash, hash FROM entries WHERE id > ? ORDER BY id LIMIT ?',
    ),
  };
}
