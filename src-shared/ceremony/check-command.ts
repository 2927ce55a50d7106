import type { z } from 'zod';
import type { JsonObject } from '../canonical-json';
import { fieldsInWords, issueFields, plainWords } from '../issue-words';
import { ok, refused, type Result } from '../result';
import { findSecretInArguments } from '../security/secret-patterns';
import { COMMAND_ARGS, type CeremonyCommand, type CommandName, type Refusal } from './commands';
import { COMMAND_RULES, type RuleName } from './rules/registry';
import { refusal, refuse, type CommandRule, type CoreState, type Decision } from './rules/rule-kit';
import type { Allowed, CeremonyState } from './state-types';
import type { LockStep } from './steps';

export type { Decision } from './rules/rule-kit';

/**
 * The gate every command passes: arguments (parseCommand), then runbook order and the decision,
 * both read from the command's own definition in rules/. This file holds no rule of its own.
 */

/**
 * Validates raw (IPC/CLI) arguments of a command. The refusal names every field that is wrong
 * (`fields`, by argument path) and says it in one line for a person.
 */
export function parseCommand(name: string, args: unknown): Result<CeremonyCommand> {
  if (!Object.hasOwn(COMMAND_ARGS, name)) return refuse('invalid-input', `unknown command "${name}"`);
  const parsed = COMMAND_ARGS[name as CommandName].safeParse(args ?? {}, { error: plainWords });
  if (!parsed.success) {
    const fields = issueFields(parsed.error.issues);
    const said = Object.keys(fields).length ? fieldsInWords(fields) : (parsed.error.issues[0]?.message ?? 'invalid');
    return refused('invalid-input', `${name}: ${said}`, { fields });
  }
  const leak = findSecretInArguments(parsed.data, ['assume_role_output']);
  if (leak) {
    const field = leak.where.replace(/^args\./, '').replace(/\[(\d+)\]/g, '.$1');
    const words = `this looks like it holds a secret (${leak.rule}). The journal can never forget what it records: remove it and try again`;
    return refused('invalid-input', `${name}: ${field}: ${words}.`, { fields: { [field]: words } });
  }
  return ok({ name, args: parsed.data } as CeremonyCommand);
}

/** The registry's entries share one shape; indexing by a runtime name loses which one. */
function ruleOf(name: RuleName): CommandRule<z.ZodType> {
  return COMMAND_RULES[name] as unknown as CommandRule<z.ZodType>;
}

function orderOf(s: CoreState, name: RuleName, args: unknown): Refusal | undefined {
  const rule = ruleOf(name);
  if (s.aborted && !rule.afterAbort?.(args))
    return refusal(
      'finished',
      `this ceremony was aborted at seq ${s.aborted.seq}; only notes can be added (and the closing seal)`,
    );
  return rule.order(s, args);
}

/** Whether a command may run now, by order alone (its arguments are checked by decide()). */
export function orderRefusal(s: CoreState, name: RuleName, lockStep?: LockStep): Refusal | undefined {
  return orderOf(s, name, name === 'lock_step' && lockStep ? { step: lockStep } : undefined);
}

/**
 * The argument checks a recorded entry's command met when it was issued: parseCommand, then the
 * rule's own (`recorded`), on the arguments its payload keeps. Undefined when they hold, or when
 * the entry's kind does not keep its arguments (lock_step's, a tap's, a secret kept out).
 */
export function recordedArgsRefusal(name: RuleName, kind: string, payload: JsonObject): Refusal | undefined {
  const recorded = ruleOf(name).recorded;
  if (!recorded || recorded.kind !== kind) return undefined;
  const parsed = parseCommand(name, recorded.args(payload));
  if (!parsed.ok) return parsed.error;
  const checked = recorded.check(parsed.value.args);
  return checked.ok ? undefined : checked.error;
}

/** `state.allowed`: every command's order rule, asked in general. */
export function allowedCommands(s: CoreState): CeremonyState['allowed'] {
  const out = {} as CeremonyState['allowed'];
  for (const n of Object.keys(COMMAND_RULES) as RuleName[]) {
    const r = orderRefusal(s, n);
    out[n] = r ? ({ ok: false, error: r } satisfies Allowed) : { ok: true };
  }
  return out;
}

/**
 * The pure heart of the service: a command against the derived state gives either the entries to
 * append or a refusal. `probe_sso` and `lock_step` need I/O (STS, the key), so for them an
 * accepted decision has no entries and the service does the rest.
 */
export function decide(s: CoreState, command: CeremonyCommand): Decision {
  if (command.name === 'start')
    return refuse('invalid-input', 'start creates a new ceremony; it is not a command on an existing one');
  const order = orderOf(s, command.name, command.args);
  if (order) return { ok: false, error: order };
  return ruleOf(command.name).decide(s, command.args, new Date(s.now));
}
