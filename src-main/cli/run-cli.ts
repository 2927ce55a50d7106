import { COMMANDS } from './commands/index';
import type { CliIo } from './command';
import { runCommands } from './run-commands';

/** Runs one CLI invocation and returns its exit code. Never throws for bad input. */
export async function runCli(argv: string[], rawIo: CliIo): Promise<number> {
  return runCommands(COMMANDS, argv, rawIo);
}
