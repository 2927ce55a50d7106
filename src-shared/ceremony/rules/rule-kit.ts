import * as z from 'zod';
import type { JsonObject } from '../../canonical-json';
import { ok, refused, refusalOf, type Refusal, type Result } from '../../result';
import { parseEntryPayload, type EntryKind } from '../entry-kinds';
import type { CeremonyState } from '../state-types';
import type { StepId } from '../steps';
import { isInFuture, normaliseIso } from '../text-rules';

/** The derived state a rule reads: everything but `allowed`, which the rules themselves produce. */
export type CoreState = Omit<CeremonyState, 'allowed'>;
export type PlannedEntry = { kind: EntryKind; payload: JsonObject };
/** The entries to append, or why not: the core's one result shape. */
export type Decision = Result<PlannedEntry[]>;

/**
 * Everything about one ceremony command in one place: its arguments, when it may run, and what
 * it appends. The registry (registry.ts) gathers them; nothing else lists the commands.
 */
export interface CommandRule<A extends z.ZodType> {
  /** The arguments, as a zod schema: the IPC contract reuses it as-is. */
  args: A;
  /** What an aborted ceremony still takes: notes, and the closing seal. Absent: nothing. */
  afterAbort?: (args?: z.infer<A>) => boolean;
  /**
   * Whether the command may run now, by runbook order alone, in plain words. `args` is absent
   * when the question is general (`state.allowed`); only lock_step's answer depends on them.
   */
  order(s: CoreState, args?: z.infer<A>): Refusal | undefined;
  /** The entries to append, or why not. Runs only after order() said yes. */
  decide(s: CoreState, args: z.infer<A>, now: Date): Decision;
  /**
   * Where the entry it appends keeps its arguments as given (trimmed): that kind, the arguments
   * read back from the payload, and the checks decide() makes of them alone. The verifier holds
   * each recorded entry to them (check-command.ts recordedArgsRefusal). Absent: the payload does
   * not carry them verbatim (a secret kept out, values the app derived or looked up).
   */
  recorded?: { kind: EntryKind; args(payload: JsonObject): unknown; check(args: z.infer<A>): Result<unknown> };
}

/**
 * A rule as written: `args` builds its schema. It is built on first read of `args`: a reader of
 * evidence (`breakglass verify`, which replays the history and never parses command arguments)
 * does not pay for ~280 schema objects at start-up (bench/evidence.bench.ts).
 */
export function defineCommand<A extends z.ZodType>(
  rule: Omit<CommandRule<A>, 'args'> & { args: () => A },
): CommandRule<A> {
  let args: A | undefined;
  return {
    ...rule,
    get args() {
      return (args ??= rule.args());
    },
  };
}

/** Times are optional where the app clock is the right default ("I called Asad at 13:02"). */
export const iso = z.iso.datetime({ offset: true, error: 'expected an ISO 8601 time such as 2026-05-20T13:00:00Z' });
export const text = (max: number) =>
  z.string({ error: 'expected text' }).max(max, { error: `at most ${max} characters` });

export const refusal = (code: Refusal['code'], message: string): Refusal => refusalOf(code, message);
export const refuse = (code: Refusal['code'], message: string): { ok: false; error: Refusal } => refused(code, message);

/**
 * A refusal about one argument: the message names it in words ("signed in at: this time is in the
 * future"), `field` names it by its path ("signed_in_at") so the form highlights that field.
 */
export const refuseAt = (field: string, label: string, words: string): { ok: false; error: Refusal } =>
  refused('invalid-input', `${label}: ${words}`, { fields: { [field]: words }, labels: { [field]: label } });

export const stepStatus = (s: CoreState, id: StepId) => s.steps.find((x) => x.id === id);
export const isLocked = (s: CoreState, id: StepId) => stepStatus(s, id)?.status === 'locked';
export const hasStep = (s: CoreState, id: StepId) => s.steps.some((x) => x.id === id);

/**
 * A text rule (text-rules.ts) built on its first check: only decide() checks it, which a reader of
 * evidence (`breakglass verify`) never runs, and each is a dozen zod objects at start-up.
 */
export function ruleOnFirstCheck<S extends { safeParse(v: unknown): unknown }>(
  build: () => S,
): { safeParse(v: unknown): ReturnType<S['safeParse']> } {
  let rule: S | undefined;
  return { safeParse: (v) => (rule ??= build()).safeParse(v) as ReturnType<S['safeParse']> };
}

/**
 * Runs a text rule (text-rules.ts) on one argument: the trimmed value, or its first problem as a
 * refusal about that field (`field` its path, `label` how a person names it).
 */
export function check<T>(
  schema: {
    safeParse(
      v: unknown,
    ): { success: true; data: T } | { success: false; error: { issues: Array<{ message: string }> } };
  },
  value: unknown,
  field: string,
  label: string,
): Result<T> {
  const r = schema.safeParse(value);
  return r.success ? { ok: true, value: r.data } : refuseAt(field, label, r.error.issues[0]?.message ?? 'invalid');
}

/** A time the operator may correct: now when not given, never in the future or long before the start. */
export function plannedTime(given: string | undefined, s: CoreState, field: string, label: string): Result<string> {
  const now = new Date(s.now);
  if (given === undefined) return { ok: true, value: now.toISOString() };
  if (isInFuture(given, now)) return refuseAt(field, label, 'this time is in the future');
  if (Date.parse(given) < Date.parse(s.started_at) - 60 * 60_000)
    return refuseAt(field, label, 'this time is before the ceremony started');
  return { ok: true, value: normaliseIso(given) };
}

/** The members of a recorded payload that are a command's arguments, those present only. */
export function argsOf(payload: JsonObject, keys: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of keys) if (Object.hasOwn(payload, k)) out[k] = payload[k];
  return out;
}

export const entry = (kind: EntryKind, payload: Record<string, unknown>): Decision => {
  // Every planned payload passes its own journal schema: a bug here cannot write a bad entry.
  const clean = JSON.parse(JSON.stringify(payload)) as JsonObject;
  const v = parseEntryPayload(kind, clean);
  if (!v.ok) return refuse('invalid-input', v.message);
  return ok([{ kind, payload: clean }]);
};

/** Accepted, nothing to append yet: the service does the I/O (STS, the key) and appends. */
export const NEEDS_IO: Decision = ok([]);
