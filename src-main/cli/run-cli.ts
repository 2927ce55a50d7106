import { COMMANDS } from './commands/index';
import { classifyFailure } from './classify-failure';
import { EXIT_USAGE, parseCommandArgs, type CliIo } from './command';

function help(io: CliIo): void {
  io.out('breakglass: guided AWS root break-glass ceremony, offline journal, YubiKey checkpoints.');
  io.out('');
  io.out('Commands:');
  for (const c of COMMANDS) io.out(`  ${c.name.padEnd(12)} ${c.summary}`);
  io.out('');
  io.out('Run `breakglass <command> --help` for a command\'s options.');
}

/** Runs one CLI invocation and returns its exit code. Never throws for bad input. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    help(io);
    return name ? 0 : EXIT_USAGE;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    io.err(`breakglass: unknown command "${name}". Run \`breakglass --help\`.`);
    return EXIT_USAGE;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(`usage: ${command.usage}`);
    io.out(command.summary);
    return 0;
  }
  try {
    const parsed = parseCommandArgs(command, rest);
    return await command.run({ values: parsed.values as Record<string, unknown>, positionals: parsed.positionals }, io);
  } catch (error) {
    // One line per failure, exit codes from one table (classify-failure.ts, docs/exit-codes.md).
    const { message, exitCode } = classifyFailure(error);
    io.err(`breakglass ${name}: ${message}`);
    return exitCode;
  }
}
