import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { Refusal } from '../../src-shared/result';

/**
 * Exit codes shared by every command (docs/exit-codes.md). Whatever the code, nothing already in
 * the journal is ever lost: a failed command writes nothing, or only whole transactions.
 */
export const EXIT_OK = 0;
/** Something needs attention (a verification failed, entries still pending, a reconciliation to look at). */
export const EXIT_ATTENTION = 1;
/** Bad input or usage: a file that cannot be used, a wrong option. */
export const EXIT_USAGE = 2;
/** A clock reads earlier than the journal's last entry: set the clock right (sysexits EX_DATAERR). */
export const EXIT_CLOCK = 65;
/** The disk or folder cannot be used: full, read-only, permission denied, I/O error, a file where a folder belongs (EX_IOERR). */
export const EXIT_STORAGE = 74;
/** The journal is in use by another process right now (database busy): try again (EX_TEMPFAIL). */
export const EXIT_BUSY = 75;
/** An error no command expected (a bug): the message is printed, without a stack trace. */
const EXIT_UNEXPECTED = 70;
export const EXIT_INTERNAL = EXIT_UNEXPECTED;

/**
 * What every command may also return, whatever it does; `--help`, the README and
 * docs/exit-codes.md list them. Far from 0-6 so they never collide with a command's own codes
 * (verify's verdicts use 0-6).
 */
export const SHARED_EXIT_CODES: Readonly<Record<number, string>> = {
  [EXIT_USAGE]:
    'bad input: an unknown or missing option, an unreadable or invalid file, a journal it refuses (one line says which)',
  [EXIT_CLOCK]: "a clock reads earlier than the journal's last entry: nothing was written; set the clock right",
  [EXIT_UNEXPECTED]: 'unexpected error (a bug; the line says what failed)',
  [EXIT_STORAGE]:
    'the disk or folder cannot be used (full, read-only, permission, I/O error): nothing already recorded was lost (on a read-only data directory the commands that only read still work)',
  [EXIT_BUSY]: 'the journal is in use by another process (database busy): try again',
};

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
  constructor(
    message: string,
    readonly exitCode: number = EXIT_USAGE,
  ) {
    super(message);
  }
}

/** One option: how it parses, and what `--help` says about it. */
export interface CliOption {
  type: 'string' | 'boolean';
  multiple?: boolean;
  short?: string;
  /** The value's placeholder in help and usage (DIR, FILE, ISO…); string options only. */
  value?: string;
  /** What it does, in one line. */
  help: string;
  /** Refused when absent (checked before the command runs). */
  required?: boolean;
  /** What applies without it, in words; every optional string option says one. Booleans are off. */
  default?: string;
}

export interface CliCommandDefinition {
  name: string;
  summary: string;
  /** Positional arguments, in order (usage shows them first). */
  positionals?: ReadonlyArray<{ name: string; help: string; choices?: Readonly<Record<string, string>> }>;
  options: Readonly<Record<string, CliOption>>;
  /** The codes this command returns itself and what each means; SHARED_EXIT_CODES are added. */
  exitCodes: Readonly<Record<number, string>>;
  /** One command line that works as written (paths aside). */
  example: string;
  /** Extra lines for help (environment variables, where output goes). */
  notes?: readonly string[];
  /**
   * The exit code, or the core's refusal as it came (its exit code is looked up in one table,
   * classify-failure.ts). Anything thrown is a failure classified there too.
   */
  run(
    args: { values: Record<string, unknown>; positionals: string[] },
    io: CliIo,
  ): Promise<number | Refusal> | number | Refusal;
}

/** A command with its usage line generated from its definition. */
export interface CliCommand extends CliCommandDefinition {
  usage: string;
}

/** The option as help and usage spell it: `--data-dir DIR`, `--json`. */
export function optionFlag(name: string, o: CliOption): string {
  return o.type === 'string' ? `--${name} ${o.value ?? 'VALUE'}` : `--${name}`;
}

/** `breakglass NAME POSITIONALS --required X [--optional Y]`, from the definition. */
export function formatUsage(command: CliCommandDefinition): string {
  const parts = [`breakglass ${command.name}`, ...(command.positionals ?? []).map((p) => p.name)];
  const options = Object.entries(command.options);
  for (const [name, o] of options.filter(([, o]) => o.required))
    parts.push(optionFlag(name, o) + (o.multiple ? ` [${optionFlag(name, o)} ...]` : ''));
  for (const [name, o] of options.filter(([, o]) => !o.required))
    parts.push(`[${optionFlag(name, o)}${o.multiple ? ' ...' : ''}]`);
  return parts.join(' ');
}

export function defineCommand(definition: CliCommandDefinition): CliCommand {
  return { ...definition, usage: formatUsage(definition) };
}

/** Every exit code a command can end with: its own, then the shared ones. */
export function exitCodesOf(command: CliCommandDefinition): Array<[number, string]> {
  const all = { ...command.exitCodes, ...SHARED_EXIT_CODES };
  return Object.keys(all)
    .map(Number)
    .sort((a, b) => a - b)
    .map((code) => [code, all[code]!]);
}

export function parseCommandArgs(command: CliCommand, argv: string[]) {
  const options: NonNullable<ParseArgsConfig['options']> = {};
  for (const [name, o] of Object.entries(command.options)) {
    options[name] = { type: o.type, ...(o.multiple ? { multiple: true } : {}), ...(o.short ? { short: o.short } : {}) };
  }
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: (command.positionals?.length ?? 0) > 0, strict: true });
  } catch (error) {
    throw new UserError(`${(error as Error).message}\nusage: ${command.usage}`);
  }
  for (const [name, o] of Object.entries(command.options)) {
    const value = (parsed.values as Record<string, unknown>)[name];
    const missing = value === undefined || value === '' || (Array.isArray(value) && value.every((v) => v === ''));
    if (o.required && missing) throw new UserError(`--${name} is required: ${o.help}\nusage: ${command.usage}`);
  }
  return parsed;
}

export function requireString(values: Record<string, unknown>, name: string, command: CliCommand): string {
  const value = values[name];
  if (typeof value !== 'string' || value.length === 0)
    throw new UserError(`--${name} is required\nusage: ${command.usage}`);
  return value;
}
