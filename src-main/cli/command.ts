import { parseArgs, type ParseArgsConfig } from 'node:util';

/** Exit codes shared by every command: 0 fine, 1 something needs attention, 2 bad input/usage. */
export const EXIT_OK = 0;
export const EXIT_ATTENTION = 1;
export const EXIT_USAGE = 2;

export interface CliIo {
  out: (line: string) => void;
  err: (line: string) => void;
  env: NodeJS.ProcessEnv;
  now: () => Date;
  /** Reads a key's PIN without echo (a terminal only); absent or null: it cannot be asked here. */
  readPin?: (prompt: string) => Promise<string | null>;
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
