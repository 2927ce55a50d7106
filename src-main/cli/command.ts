import { parseArgs, type ParseArgsConfig } from 'node:util';

/**
 * Exit codes shared by every command (docs/exit-codes.md). Whatever the code, nothing already in
 * the journal is ever lost: a failed command writes nothing, or only whole transactions.
 */
export const EXIT_OK = 0;
/** Something needs attention (a verification failed, entries still pending, a reconciliation to look at). */
export const EXIT_ATTENTION = 1;
/** Bad input or usage: a file that cannot be used, a wrong option. */
export const EXIT_USAGE = 2;
/** A clock reads earlier than the journal's last entry: set the clock right. */
export const EXIT_CLOCK = 3;
/** The journal is in use by another process right now (database busy): try again. */
export const EXIT_BUSY = 4;
/** The disk or folder cannot be used: full, read-only, permission denied, I/O error, a file where a folder belongs. */
export const EXIT_STORAGE = 5;
/** A bug: an error nobody anticipated (please report it with the command line). */
export const EXIT_INTERNAL = 70;

export interface CliIo {
  out: (line: string) => void;
  err: (line: string) => void;
  env: NodeJS.ProcessEnv;
  now: () => Date;
}

/** An error whose message is for the user; the CLI prints it without a stack trace. */
export class UserError extends Error {
  constructor(message: string, readonly exitCode: number = EXIT_USAGE) {
    super(message);
  }
}

export interface CliCommand {
  name: string;
  summary: string;
  usage: string;
  options: NonNullable<ParseArgsConfig['options']>;
  allowPositionals?: boolean;
  run(args: { values: Record<string, unknown>; positionals: string[] }, io: CliIo): Promise<number> | number;
}

export function parseCommandArgs(command: CliCommand, argv: string[]) {
  try {
    return parseArgs({ args: argv, options: command.options, allowPositionals: command.allowPositionals ?? false, strict: true });
  } catch (error) {
    throw new UserError(`${(error as Error).message}\nusage: ${command.usage}`);
  }
}

export function requireString(values: Record<string, unknown>, name: string, command: CliCommand): string {
  const value = values[name];
  if (typeof value !== 'string' || value.length === 0) throw new UserError(`--${name} is required\nusage: ${command.usage}`);
  return value;
}
