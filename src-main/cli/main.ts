import { readPinFromTerminal } from './read-pin';
import { runCli } from './run-cli';

// `breakglass verify x | head` closes the pipe early: that is not an error worth a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}

runCli(process.argv.slice(2), {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  env: process.env,
  now: () => new Date(),
  readPin: (prompt) => readPinFromTerminal(prompt),
}).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.stderr.write(`breakglass: ${(error as Error).message}\n`);
    process.exitCode = 70;
  },
);
