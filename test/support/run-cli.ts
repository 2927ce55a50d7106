import { runCli } from '../../src-main/cli/run-cli';

/** Runs the CLI in-process with captured output. */
export async function cli(argv: string[], now = new Date('2026-11-21T12:00:00.000Z')) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { out: (l) => out.push(l), err: (l) => err.push(l), env: {}, now: () => now });
  return { code, out: out.join('\n'), err: err.join('\n'), lastLine: out[out.length - 1] ?? '' };
}
