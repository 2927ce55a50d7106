import type { z } from 'zod';
import { COMMAND_RULES, START_ARGS, type RuleName } from './rules/registry';

/**
 * The arguments of every ceremony command, as zod schemas, gathered from the one definition per
 * command (rules/registry.ts): the IPC contract reuses them as-is, so main validates exactly what
 * the service expects.
 */
type ArgsTable = { start: typeof START_ARGS } & { [N in RuleName]: (typeof COMMAND_RULES)[N]['args'] };

const table: Record<string, z.ZodType> = { start: START_ARGS };
// Read through to `rule.args` on use, which builds the schema then (rule-kit.ts defineCommand).
for (const [name, rule] of Object.entries(COMMAND_RULES))
  Object.defineProperty(table, name, { enumerable: true, get: () => rule.args });
export const COMMAND_ARGS = table as ArgsTable;

export type CommandName = keyof typeof COMMAND_ARGS;
export type CommandArgs<N extends CommandName> = z.infer<(typeof COMMAND_ARGS)[N]>;
export type CeremonyCommand = { [N in CommandName]: { name: N; args: CommandArgs<N> } }[CommandName];

/** Why a command was refused: the core's one refusal shape (src-shared/result.ts). */
export type { Refusal } from '../result';
