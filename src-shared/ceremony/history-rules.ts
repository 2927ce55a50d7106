import type { BreakglassConfig } from '../config/schema';
import type { JournalEntry } from '../journal/types';
import { plainActionLogged, plainLogText } from './action-logged-payload';
import { orderRefusal, recordedArgsRefusal } from './check-command';
import type { CommandName } from './commands';
import { deriveCeremonyState } from './derive-state';
import { HistoryTimes, type RuleFinding } from './history-times';
import type { CeremonyState } from './state-types';
import type { LockStep } from './steps';

export { codeUnitsBefore } from './history-times';

/** The command whose acceptance wrote each kind of entry (an attached reconciliation follows the after-care rule). */
const COMMAND_OF: Record<string, Exclude<CommandName, 'start'>> = {
  scenario_selected: 'select_scenario',
  sso_probe: 'probe_sso',
  founder_notified: 'notify_founder',
  account_selected: 'select_account',
  signed_in: 'record_sign_in',
  audit_row_written: 'write_audit_row',
  role_session_started: 'record_role_session',
  action_logged: 'log_action',
  minimal_action_done: 'finish_minimal_action',
  signed_out: 'record_sign_out',
  step_locked: 'lock_step',
  tap_failed: 'lock_step',
  note: 'add_note',
  ceremony_aborted: 'abort',
  aftercare_evidence: 'record_aftercare_evidence',
  aftercare_signoff: 'sign_off_aftercare',
  reconciliation_attached: 'record_aftercare_evidence',
};

/**
 * What the reader of a bundle file already found in its bytes, so that the verifier need not find
 * it again in 100,000 running-log lines (src-main/evidence/canonical-bundle-bytes.ts). Both only
 * vouch: NaN, 0, or no value mean "not known", and the entry itself is read then.
 */
export interface ReadFacts {
  /**
   * Date.parse of entries[i].recorded_at where the reader read it as a PLAIN_UTC time
   * (src-main/evidence/plain-utc-bytes.ts), NaN where not.
   */
  recordedMs?: readonly number[];
  /**
   * 1 where the reader built entries[i] itself (src-main/evidence/plain-log-line.ts), 0 elsewhere
   * and past the array's end: a running-log line whose payload is exactly { logged_at: the
   * recorded_at string itself, parsed: [], text: a string, warnings: [] }, and whose seq, prev_hash
   * and hash it checked against the bytes (so the chain walk need not read it again).
   */
  plainLogLines?: Uint8Array;
}

/** A legitimate history has a few dozen entries other than running-log lines; replay stays bounded on hostile input. */
const MAX_REPLAYED = 1000;

/**
 * The runbook's rules over a finished history, by running the same state machine the app runs:
 * every entry must have been accepted by the command that writes it, in the state the entries
 * before it describe (orderRefusal), and the whole history must derive without problems. Times
 * never run backwards, never lie in the verifier's future, and payload times sit inside the
 * ceremony's window (history-times.ts).
 *
 * One pass reads every entry for the time rules and the replay together (a long ceremony has
 * 100,000 running-log lines, and each line's texts are read while they are at hand), and notes
 * the running-log lines that plainly fit their schema, so that the derivation of the whole does
 * not check them again. Findings keep their order: times, the derivation's problems, the replay.
 */
export function historyRuleFindings(
  entries: readonly JournalEntry[],
  config: BreakglassConfig,
  verifierNow: Date,
  read: ReadFacts = {},
): { findings: RuleFinding[]; state: CeremonyState | null } {
  const { recordedMs, plainLogLines } = read;
  const first = entries[0];
  if (!first) return { findings: [{ seq: null, reason: 'the ceremony has no entries' }], state: null };
  const lastAt = new Date(entries.at(-1)!.recorded_at);
  const times = new HistoryTimes(first.recorded_at, verifierNow);
  const replay = new Replay(first, config, lastAt);
  const plainLines = new Uint8Array(entries.length);
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i]!;
    const known = recordedMs === undefined ? NaN : recordedMs[i]!;
    const recordedPlain = known === known ? times.knownRecorded(e, known) : times.readRecorded(e);
    const plainLine =
      plainLogLines !== undefined && plainLogLines[i] === 1
        ? // Such a payload is one plainActionLogged accepts exactly when its time is PLAIN_UTC and its text not empty.
          recordedPlain && (e.payload.text as string).length > 0
        : e.kind === 'action_logged' &&
          plainActionLogged(e.payload, recordedPlain && e.payload.logged_at === e.recorded_at) !== undefined;
    if (plainLine) plainLines[i] = 1;
    times.payloadTimes(e, plainLine);
    if (i > 0) replay.next(e);
  }

  const derived = deriveCeremonyState(entries, config, lastAt, plainLines);
  // No valid start: nothing to replay, and the derivation says why.
  if (!derived.ok) return { findings: [...times.findings, { seq: 0, reason: derived.error.message }], state: null };
  const whole = derived.value;
  const findings = times.findings;
  for (const p of whole.problems) findings.push({ seq: seqOf(p), reason: p });
  for (const f of replay.findings) findings.push(f);
  return { findings, state: whole };
}

/**
 * The replay of a history's commands, one entry after the other from seq 1. Linear in the running
 * log: the state only changes at entries other than running-log lines, so the machine is derived
 * again only there, over those entries plus the first log line (the only thing about the log that
 * an ordering rule reads).
 */
class Replay {
  readonly findings: RuleFinding[] = [];
  private readonly replayed: JournalEntry[];
  private state: CeremonyState | null = null;
  /** The order rules are pure: a run of log lines over one state is answered once. */
  private logState: CeremonyState | null = null;
  private logRefusal: ReturnType<typeof orderRefusal>;
  private loggedOnce = false;
  /** Set once replay cannot go on (too many entries, or no valid start); the rest is not replayed. */
  private stopped = false;

  constructor(
    first: JournalEntry,
    private readonly config: BreakglassConfig,
    private readonly lastAt: Date,
  ) {
    this.replayed = [first];
  }

  next(e: JournalEntry): void {
    if (this.stopped) return;
    if (e.kind === 'ceremony_started') {
      this.findings.push({ seq: e.seq, reason: 'a second ceremony_started inside the ceremony' });
      return;
    }
    const isLog = e.kind === 'action_logged';
    // Own members only: a kind named "toString" or "__proto__" must not find Object.prototype's.
    const name = isLog ? 'log_action' : Object.hasOwn(COMMAND_OF, e.kind) ? COMMAND_OF[e.kind] : undefined;
    if (name === undefined) return; // unknown kind: the derivation of the whole names it
    if (!isLog && this.replayed.length >= MAX_REPLAYED) {
      this.findings.push({
        seq: e.seq,
        reason: `more than ${MAX_REPLAYED} entries besides the running log: not a ceremony the app writes`,
      });
      this.stopped = true;
      return;
    }
    let state = this.state;
    if (!state) {
      // The replay starts with the same seq 0 as the whole, so it derives when the whole does
      // (otherwise its findings are not used); if not, stop.
      const replay = deriveCeremonyState(this.replayed, this.config, this.lastAt);
      if (!replay.ok) {
        this.stopped = true;
        return;
      }
      state = this.state = replay.value;
    }
    const step = name === 'lock_step' ? (e.payload.step as LockStep) : undefined;
    const refusal: ReturnType<typeof orderRefusal> =
      isLog && this.logState === state ? this.logRefusal : orderRefusal(state, name, step);
    if (isLog) {
      this.logState = state;
      this.logRefusal = refusal;
    }
    if (refusal)
      this.findings.push({
        seq: e.seq,
        reason: `${e.kind}${step ? ` "${step}"` : ''} was recorded where the runbook refuses it: ${refusal.message}`,
      });
    // A running-log line whose text plainly passes its rule is not run through zod (100,000 of
    // them in a long ceremony): only the others are asked, by the rule itself.
    const text = isLog ? e.payload.text : undefined;
    const args =
      typeof text === 'string' && plainLogText(text) ? undefined : recordedArgsRefusal(name, e.kind, e.payload);
    if (args)
      this.findings.push({
        seq: e.seq,
        reason: `${e.kind} holds arguments the app refuses (${name}): ${args.message}`,
      });
    if (!isLog || !this.loggedOnce) {
      this.replayed.push(e);
      this.state = null;
      this.loggedOnce ||= isLog;
    }
  }
}

function seqOf(problem: string): number | null {
  const m = /^seq (\d+)/.exec(problem);
  return m ? Number(m[1]) : null;
}
