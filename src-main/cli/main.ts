import { printable } from '../fs/printable';
import { runCli } from './run-cli';

// `breakglass verify x | head` closes the pipe early: that is not an error worth a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}

// Every line any command prints passes through printable(): no control character, escape
// sequence, carriage return or bidi override from a file, a server or a journal reaches the terminal.
const safe = (line: string) => `${line.split('\n').map(printable).join('\n')}\n`;

runCli(process.argv.slice(2), {
  out: (line) => process.stdout.write(safe(line)),
  err: (line) => process.stderr.write(safe(line)),
  env: process.env,
  now: () => new Date(),
}).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.stderr.write(safe(`breakglass: ${(error as Error).message}`));
    process.exitCode = 70;
  },
);
