import type { BreakglassConfig } from '../config/schema';
import type { JournalEntry } from '../journal/types';
import { plainLogText } from './action-logged-payload';
import { orderRefusal, recordedArgsRefusal } from './check-command';
import type { CommandName } from './commands';
import { deriveCeremonyState } from './derive-state';
import type { CeremonyState } from './state-types';
import type { LockStep } from './steps';
import { parseTime } from './parse-time';
import { FUTURE_SKEW_MS } from './text-rules';

export interface RuleFinding {
  seq: number | null;
  reason: string;
}

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

/** Payload times an operator may set: each lies between an hour before the start and its own recording. */
const TIME_FIELDS = [
  'attempted_at',
  'notified_at',
  'acknowledged_at',
  'signed_in_at',
  'logged_at',
  'signed_out_at',
  'session_started_at',
  'evidence_at',
] as const;
const BEFORE_START_MS = 60 * 60_000;
/** A legitimate history has a few dozen entries other than running-log lines; replay stays bounded on hostile input. */
const MAX_REPLAYED = 1000;

/**
 * The runbook's rules over a finished history, by running the same state machine the app runs:
 * every entry must have been accepted by the command that writes it, in the state the entries
 * before it describe (orderRefusal), and the whole history must derive without problems.
 *
 * Linear in the running log: the state only changes at entries other than running-log lines, so
 * the machine is derived again only there, over those entries plus the first log line (the only
 * thing about the log that an ordering rule reads). Times never run backwards, never lie in the
 * verifier's future, and payload times sit inside the ceremony's window.
 */
export function historyRuleFindings(
  entries: readonly JournalEntry[],
  config: BreakglassConfig,
  verifierNow: Date,
): { findings: RuleFinding[]; state: CeremonyState | null } {
  const findings: RuleFinding[] = [];
  const first = entries[0];
  if (!first) return { findings: [{ seq: null, reason: 'the ceremony has no entries' }], state: null };
  findings.push(...timeFindings(entries, verifierNow));

  const lastAt = new Date(entries.at(-1)!.recorded_at);
  const derived = deriveCeremonyState(entries, config, lastAt);
  if (!derived.ok) return { findings: [...findings, { seq: 0, reason: derived.error.message }], state: null };
  const whole = derived.value;
  for (const p of whole.problems) findings.push({ seq: seqOf(p), reason: p });

  const replayed: JournalEntry[] = [first];
  let state: CeremonyState | null = null;
  // The order rules are pure: a run of log lines over one state is answered once.
  let logState: CeremonyState | null = null;
  let logRefusal: ReturnType<typeof orderRefusal>;
  let loggedOnce = false;
  for (let i = 1; i < entries.length; i++) {
    const e = entries[i]!;
    if (e.kind === 'ceremony_started') {
      findings.push({ seq: e.seq, reason: 'a second ceremony_started inside the ceremony' });
      continue;
    }
    // Own members only: a kind named "toString" or "__proto__" must not find Object.prototype's.
    const name = Object.hasOwn(COMMAND_OF, e.kind) ? COMMAND_OF[e.kind] : undefined;
    if (name === undefined) continue; // unknown kind: the derivation above names it
    const isLog = e.kind === 'action_logged';
    if (!isLog && replayed.length >= MAX_REPLAYED) {
      findings.push({
        seq: e.seq,
        reason: `more than ${MAX_REPLAYED} entries besides the running log: not a ceremony the app writes`,
      });
      break;
    }
    if (!state) {
      // The replay starts with the same valid seq 0 as the whole, so it derives; if not, stop.
      const replay = deriveCeremonyState(replayed, config, lastAt);
      if (!replay.ok) break;
      state = replay.value;
    }
    const step = name === 'lock_step' ? (e.payload.step as LockStep) : undefined;
    const refusal: ReturnType<typeof orderRefusal> =
      isLog && logState === state ? logRefusal : orderRefusal(state, name, step);
    if (isLog) {
      logState = state;
      logRefusal = refusal;
    }
    if (refusal)
      findings.push({
        seq: e.seq,
        reason: `${e.kind}${step ? ` "${step}"` : ''} was recorded where the runbook refuses it: ${refusal.message}`,
      });
    // A running-log line whose text plainly passes its rule is not run through zod (100,000 of
    // them in a long ceremony): only the others are asked, by the rule itself.
    const args =
      isLog && typeof e.payload.text === 'string' && plainLogText(e.payload.text)
        ? undefined
        : recordedArgsRefusal(name, e.kind, e.payload);
    if (args)
      findings.push({
        seq: e.seq,
        reason: `${e.kind} holds arguments the app refuses (${name}): ${args.message}`,
      });
    if (!isLog || !loggedOnce) {
      replayed.push(e);
      state = null;
      loggedOnce ||= isLog;
    }
  }
  return { findings, state: whole };
}

function timeFindings(entries: readonly JournalEntry[], verifierNow: Date): RuleFinding[] {
  const out: RuleFinding[] = [];
  const start = parseTime(entries[0]!.recorded_at);
  // isInFuture(t, now) is Date.parse(t) > now + FUTURE_SKEW_MS; each time is parsed once (a
  // running-log line's logged_at is usually its recorded_at), 100,000 times in a long ceremony,
  // by parseTime (Date.parse, from a cached day).
  const verifierLimit = verifierNow.getTime() + FUTURE_SKEW_MS;
  let previous = entries[0]!.recorded_at;
  for (const e of entries) {
    const recordedAt = e.recorded_at;
    if (codeUnitsBefore(recordedAt, previous))
      out.push({
        seq: e.seq,
        reason: `recorded_at ${recordedAt} is earlier than the entry before it (${previous}): the clock ran backwards or the history was rewritten`,
      });
    else previous = recordedAt;
    const recorded = parseTime(recordedAt);
    if (recorded > verifierLimit)
      out.push({
        seq: e.seq,
        reason: `recorded_at ${recordedAt} is after this verifier's clock (${verifierNow.toISOString()})`,
      });
    for (const field of TIME_FIELDS) {
      const value = e.payload[field];
      if (typeof value !== 'string') continue;
      const t = value === recordedAt ? recorded : parseTime(value);
      if (Number.isNaN(t) || t > recorded + FUTURE_SKEW_MS || t < start - BEFORE_START_MS) {
        out.push({
          seq: e.seq,
          reason: `${field} ${value} lies outside the ceremony's window (an hour before its start to the entry's own recording at ${recordedAt})`,
        });
      }
    }
  }
  return out;
}

/**
 * `a < b` for strings, by UTF-16 code units. The verifier's strings are slices of one 40 MB file
 * text, and V8 compares such slices with `<` in its runtime, a call per entry; this loop stays in
 * the compiled code (test/shared/ceremony/history-rules-order.test.ts holds it equal to `<`).
 */
export function codeUnitsBefore(a: string, b: string): boolean {
  const n = a.length < b.length ? a.length : b.length;
  for (let i = 0; i < n; i++) {
    const d = a.charCodeAt(i) - b.charCodeAt(i);
    if (d !== 0) return d < 0;
  }
  return a.length < b.length;
}

function seqOf(problem: string): number | null {
  const m = /^seq (\d+)/.exec(problem);
  return m ? Number(m[1]) : null;
}
