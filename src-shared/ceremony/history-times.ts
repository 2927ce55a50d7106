import type { JournalEntry } from '../journal/types';
import { earlierThan, TimeReader } from './parse-time';
import { FUTURE_SKEW_MS } from './text-rules';

export interface RuleFinding {
  seq: number | null;
  reason: string;
}

/** Payload times an operator may set: each lies between an hour before the start and its own recording. */
type TimeField =
  | 'attempted_at'
  | 'notified_at'
  | 'acknowledged_at'
  | 'signed_in_at'
  | 'logged_at'
  | 'signed_out_at'
  | 'session_started_at'
  | 'evidence_at';
const BEFORE_START_MS = 60 * 60_000;

/**
 * The time rules of a history, read one entry at a time in order: recorded_at never runs
 * backwards (by code units, as `<` compares the texts) and never lies in the verifier's future,
 * and every payload time sits inside the ceremony's window.
 *
 * Each time is read once, 100,000 times in a long ceremony (a running-log line's logged_at is
 * usually its recorded_at, the same string): Date.parse from a cached day, and the order of two
 * plain times from the numbers read rather than from the texts (parse-time.ts).
 */
export class HistoryTimes {
  readonly findings: RuleFinding[] = [];
  private readonly reader = new TimeReader();
  private readonly start: number;
  /** isInFuture(t, now) is Date.parse(t) > now + FUTURE_SKEW_MS. */
  private readonly verifierLimit: number;
  private previous: string;
  private previousDay: number;
  private previousClock: number;
  /** Date.parse of `previous` when it is a PLAIN_UTC time, else NaN. */
  private previousUtcMs: number;
  /** The entry being read: its recorded_at, as text and as Date.parse. */
  private recordedAt = '';
  private recorded = 0;

  constructor(
    firstRecordedAt: string,
    private readonly verifierNow: Date,
  ) {
    this.start = this.reader.parse(firstRecordedAt);
    this.previous = firstRecordedAt;
    this.previousDay = this.reader.day;
    this.previousClock = this.reader.clock;
    this.previousUtcMs = this.reader.plainUtc ? this.start : NaN;
    this.verifierLimit = verifierNow.getTime() + FUTURE_SKEW_MS;
  }

  /**
   * Reads the next entry's recorded_at: it must not run backwards or lie in the verifier's future.
   * True when it matches PLAIN_UTC (action-logged-payload.ts), so that a caller need not read a
   * logged_at that is the same text again. Its payload's times are checked next, by payloadTimes.
   */
  readRecorded(e: JournalEntry): boolean {
    const reader = this.reader;
    const recordedAt = e.recorded_at;
    reader.read(recordedAt);
    const earlier =
      earlierThan(reader.day, reader.clock, this.previousDay, this.previousClock) ??
      codeUnitsBefore(recordedAt, this.previous);
    this.recordedTime(e, earlier, reader.ms, reader.plainUtc ? reader.ms : NaN, reader.day, reader.clock);
    return reader.plainUtc;
  }

  /**
   * readRecorded for a recorded_at whose Date.parse the caller already knows, and knows to be a
   * PLAIN_UTC time (the file's reader read it from the bytes): two such times are in the order of
   * their numbers, which is the order of their texts (every PLAIN_UTC day exists in every month).
   */
  knownRecorded(e: JournalEntry, ms: number): true {
    const previousMs = this.previousUtcMs;
    const earlier = previousMs === previousMs ? ms < previousMs : codeUnitsBefore(e.recorded_at, this.previous);
    // No day and clock: a next time read from its text is compared with this one by code units.
    this.recordedTime(e, earlier, ms, ms, -1, -1);
    return true;
  }

  private recordedTime(e: JournalEntry, earlier: boolean, recorded: number, utcMs: number, day: number, clock: number) {
    const recordedAt = e.recorded_at;
    if (earlier)
      this.findings.push({
        seq: e.seq,
        reason: `recorded_at ${recordedAt} is earlier than the entry before it (${this.previous}): the clock ran backwards or the history was rewritten`,
      });
    else {
      this.previous = recordedAt;
      this.previousDay = day;
      this.previousClock = clock;
      this.previousUtcMs = utcMs;
    }
    if (recorded > this.verifierLimit)
      this.findings.push({
        seq: e.seq,
        reason: `recorded_at ${recordedAt} is after this verifier's clock (${this.verifierNow.toISOString()})`,
      });
    this.recordedAt = recordedAt;
    this.recorded = recorded;
  }

  /**
   * The payload times of the entry readRecorded just read. `plainLine`: its payload is a running-
   * log line's that plainActionLogged accepts. Both read every field by its name (a loop over
   * the names would look each up by a computed key, which the engine does not cache); they are
   * two copies so that the lookups of the 100,000 running-log payloads, all of one shape, are not
   * the same lookups as those of every other kind's payload: a lookup that has seen many shapes
   * goes through a slow generic path.
   */
  payloadTimes(e: JournalEntry, plainLine: boolean): void {
    if (plainLine) this.lineTimes(e.seq, e.payload);
    else this.otherTimes(e.seq, e.payload);
  }

  private lineTimes(seq: number, p: JournalEntry['payload']): void {
    if (p.attempted_at !== undefined) this.payloadTime(seq, 'attempted_at', p.attempted_at);
    if (p.notified_at !== undefined) this.payloadTime(seq, 'notified_at', p.notified_at);
    if (p.acknowledged_at !== undefined) this.payloadTime(seq, 'acknowledged_at', p.acknowledged_at);
    if (p.signed_in_at !== undefined) this.payloadTime(seq, 'signed_in_at', p.signed_in_at);
    if (p.logged_at !== undefined) this.payloadTime(seq, 'logged_at', p.logged_at);
    if (p.signed_out_at !== undefined) this.payloadTime(seq, 'signed_out_at', p.signed_out_at);
    if (p.session_started_at !== undefined) this.payloadTime(seq, 'session_started_at', p.session_started_at);
    if (p.evidence_at !== undefined) this.payloadTime(seq, 'evidence_at', p.evidence_at);
  }

  private otherTimes(seq: number, p: JournalEntry['payload']): void {
    if (p.attempted_at !== undefined) this.payloadTime(seq, 'attempted_at', p.attempted_at);
    if (p.notified_at !== undefined) this.payloadTime(seq, 'notified_at', p.notified_at);
    if (p.acknowledged_at !== undefined) this.payloadTime(seq, 'acknowledged_at', p.acknowledged_at);
    if (p.signed_in_at !== undefined) this.payloadTime(seq, 'signed_in_at', p.signed_in_at);
    if (p.logged_at !== undefined) this.payloadTime(seq, 'logged_at', p.logged_at);
    if (p.signed_out_at !== undefined) this.payloadTime(seq, 'signed_out_at', p.signed_out_at);
    if (p.session_started_at !== undefined) this.payloadTime(seq, 'session_started_at', p.session_started_at);
    if (p.evidence_at !== undefined) this.payloadTime(seq, 'evidence_at', p.evidence_at);
  }

  /** Only strings are times here; a payload member of another type is the schema's to refuse. */
  private payloadTime(seq: number, field: TimeField, value: unknown): void {
    if (typeof value !== 'string') return;
    let t = this.recorded;
    if (value !== this.recordedAt) {
      this.reader.read(value);
      t = this.reader.ms;
    }
    if (Number.isNaN(t) || t > this.recorded + FUTURE_SKEW_MS || t < this.start - BEFORE_START_MS)
      this.findings.push({
        seq,
        reason: `${field} ${value} lies outside the ceremony's window (an hour before its start to the entry's own recording at ${this.recordedAt})`,
      });
  }
}

/**
 * `a < b` for strings, by UTF-16 code units. Many of the verifier's strings are slices of a
 * decoded line, and V8 compares slices with `<` in its runtime, a call per entry; this loop stays
 * in the compiled code (test/shared/ceremony/history-rules-order.test.ts holds it equal to `<`).
 */
export function codeUnitsBefore(a: string, b: string): boolean {
  const n = a.length < b.length ? a.length : b.length;
  for (let i = 0; i < n; i++) {
    const d = a.charCodeAt(i) - b.charCodeAt(i);
    if (d !== 0) return d < 0;
  }
  return a.length < b.length;
}
