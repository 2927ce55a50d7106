import { classifyFailure, classifyRefusal } from './classify-failure';
import { EXIT_USAGE, parseCommandArgs, type CliCommand, type CliIo } from './command';
import { formatCommandHelp } from './command-help';
import { printable } from '../fs/printable';

function help(io: CliIo, commands: readonly CliCommand[]): void {
  io.out('breakglass: guided AWS root break-glass ceremony, offline journal, YubiKey checkpoints.');
  io.out('');
  io.out('Commands:');
  for (const c of commands) io.out(`  ${c.name.padEnd(12)} ${c.summary}`);
  io.out('');
  io.out("Run `breakglass <command> --help` for a command's options.");
}

/**
 * Every line a command prints passes through printable() here, the one place: no control
 * character, escape sequence, carriage return or bidi override from a file, a server or a journal
 * reaches the terminal (JSON stays valid: what it escapes are JSON escapes).
 */
function terminalSafe(io: CliIo): CliIo {
  const safe = (line: string) => line.split('\n').map(printable).join('\n');
  return { ...io, out: (line) => io.out(safe(line)), err: (line) => io.err(safe(line)) };
}

/** Runs one CLI invocation over a set of commands and returns its exit code. Never throws for bad input. */
export async function runCommands(commands: readonly CliCommand[], argv: string[], rawIo: CliIo): Promise<number> {
  const io = terminalSafe(rawIo);
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    help(io, commands);
    return name ? 0 : EXIT_USAGE;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    io.err(`breakglass: unknown command "${name}". Run \`breakglass --help\`.`);
    return EXIT_USAGE;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    for (const line of formatCommandHelp(command)) io.out(line);
    return 0;
  }
  try {
    const parsed = parseCommandArgs(command, rest);
    const outcome = await command.run(
      { values: parsed.values as Record<string, unknown>, positionals: parsed.positionals },
      io,
    );
    if (typeof outcome === 'number') return outcome;
    const { message, exitCode } = classifyRefusal(outcome);
    // A bad value of one of this command's options: the CLI names the flag, the core only its field.
    const flag = outcome.code === 'invalid-input' && outcome.field && outcome.field in command.options;
    io.err(`breakglass ${name}: ${flag ? `--${outcome.field}: ` : ''}${message}`);
    return exitCode;
  } catch (error) {
    // One line per failure, exit codes from one table (classify-failure.ts, docs/exit-codes.md).
    const { message, exitCode } = classifyFailure(error);
    io.err(`breakglass ${name}: ${message}`);
    return exitCode;
  }
}
