/**
 * The one result shape of the core, end to end (service -> IPC reply -> renderer, and service ->
 * CLI exit code): a value, or a refusal with a code a program reads and a message a person reads.
 * An expected "no" (bad input, wrong order, no key plugged in) is a Refusal returned as a value;
 * only a bug throws. Nothing downstream ever derives a code or a field from the message text.
 */

/** Every code a refusal can carry; closed, so a switch over it is checked by the compiler. */
export const REFUSAL_CODES = [
  // The ceremony's own rules (src-shared/ceremony/rules).
  'invalid-input',
  'out-of-order',
  'locked',
  'not-authorised',
  'not-found',
  'one-try',
  'tap-failed',
  'busy',
  'finished',
  /** The ceremony's chain does not verify: only notes are accepted, export is refused. */
  'journal-tampered',
  // The configuration and the IPC gate.
  'config-invalid',
  'forbidden',
  'unknown-channel',
  /** The call's arguments fail the IPC contract's schema (src-shared/ipc/contract.ts). */
  'invalid-argument',
  'too-large',
  // The key (src-main/webauthn/key-error.ts says what each means).
  'already-enrolled',
  'no-key',
  'not-a-yubikey',
  'no-hid-access',
  'not-touched',
  'wrong-key',
  'cancelled',
  'unplugged',
  'pin-required',
  'pin-invalid',
  'pin-blocked',
  'uv-blocked',
  'key-unusable',
  'bad-signature',
  'counter-regression',
  'protocol',
  // The sync to MongoDB (src-main/sync/sync-errors.ts says what each means and what happens next).
  'offline',
  'server-refused',
  'not-acknowledged',
  'conflict',
  'bad-entry',
  /** Not a refusal: a bug, reported as "unexpected error" (the CLI's exit 70). */
  'unexpected',
] as const;

export type RefusalCode = (typeof REFUSAL_CODES)[number];

/** Why something was refused: for a program (code, field) and for a person (message). */
export interface Refusal<C extends RefusalCode = RefusalCode> {
  code: C;
  /** A sentence for the person: what is wrong and, where it helps, what to do. */
  message: string;
  /**
   * The argument path it is about, dotted ("evidence.idp", "cloudtrail.0", "text"), so a form can
   * highlight that field. Absent: the refusal is about the call as a whole.
   */
  field?: string;
  /**
   * Every field named, each with its problem in words, said after the field's label ("expected
   * text"): a form shows each next to its own field. `field` is the first of them.
   */
  fields?: Record<string, string>;
  /**
   * How main names a field in words ("abort reason" for `reason`), where its path does not say
   * it: a window without a label of its own for that field uses this one.
   */
  labels?: Record<string, string>;
}

export type Result<T, E = Refusal> = { ok: true; value: T } | { ok: false; error: E };

export const ok = <T>(value: T): { ok: true; value: T } => ({ ok: true, value });

/** A refusal as a failed result; `fields` (or `field` alone) says which fields it is about. */
export function refused<C extends RefusalCode>(
  code: C,
  message: string,
  where?: Where,
): { ok: false; error: Refusal<C> } {
  return { ok: false, error: refusalOf(code, message, where) };
}

type Where = Pick<Refusal, 'field' | 'fields' | 'labels'>;

export function refusalOf<C extends RefusalCode>(code: C, message: string, where?: Where): Refusal<C> {
  const out: Refusal<C> = { code, message };
  const fields = where?.fields && Object.keys(where.fields).length ? where.fields : undefined;
  const field = where?.field ?? (fields ? Object.keys(fields)[0] : undefined);
  if (field !== undefined) out.field = field;
  if (fields) out.fields = fields;
  if (where?.labels && Object.keys(where.labels).length) out.labels = where.labels;
  return out;
}
