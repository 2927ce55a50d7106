import { printable } from '../fs/printable';
import { readPinFromTerminal } from './read-pin';
import type { CliCommand } from './command';
import { runCommands } from './run-commands';

// `breakglass verify x | head` closes the pipe early: that is not an error worth a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}

// runCli makes every line terminal-safe; the last-resort error line below goes through the same escaper.
const safe = (line: string) => `${printable(line)}\n`;

/** Runs the process's command line over `commands` with the real terminal, and sets the exit code. */
export function startCli(commands: readonly CliCommand[]): void {
  runCommands(commands, process.argv.slice(2), {
    out: (line) => process.stdout.write(safe(line)),
    err: (line) => process.stderr.write(safe(line)),
    env: process.env,
    now: () => new Date(),
    readPin: (prompt) => readPinFromTerminal(prompt),
  }).then(
    (code) => {
      process.exitCode = code;
    },
    (error) => {
      process.stderr.write(safe(`breakglass: ${(error as Error).message}`));
      process.exitCode = 70;
    },
  );
}
