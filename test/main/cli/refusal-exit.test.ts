import { describe, expect, it } from 'vitest';
import { classifyRefusal } from '../../../src-main/cli/classify-failure';
import { EXIT_ATTENTION, EXIT_INTERNAL, EXIT_USAGE, defineCommand, type CliIo } from '../../../src-main/cli/command';
import { runCommands } from '../../../src-main/cli/run-commands';
import { REFUSAL_CODES, refusalOf, type Refusal } from '../../../src-shared/result';

function io(): CliIo & { lines: { out: string[]; err: string[] } } {
  const lines = { out: [] as string[], err: [] as string[] };
  return {
    lines,
    out: (l) => lines.out.push(l),
    err: (l) => lines.err.push(l),
    env: {},
    now: () => new Date('2026-05-20T13:00:00Z'),
  };
}

/** A command that returns the core's refusal as it came, as `key enrol` and `export` do. */
const refusing = (refusal: Refusal) =>
  defineCommand({
    name: 'probe',
    summary: 'returns a refusal',
    options: {},
    exitCodes: {},
    example: 'breakglass probe',
    run: () => refusal,
  });

describe('a refusal returned by a command: its sentence, and its exit code from one table', () => {
  it('maps the refusal code, never the words, to the exit code', () => {
    expect(classifyRefusal(refusalOf('already-enrolled', 'taha already has a primary key enrolled.')).exitCode).toBe(
      EXIT_USAGE,
    );
    expect(classifyRefusal(refusalOf('not-touched', 'The key was not touched in time.')).exitCode).toBe(EXIT_ATTENTION);
    expect(classifyRefusal(refusalOf('journal-tampered', 'the journal does not verify at seq 3')).exitCode).toBe(
      EXIT_USAGE,
    );
    // Words that name another failure change nothing: the code decides.
    expect(classifyRefusal(refusalOf('unexpected', 'the key was not touched; does not verify')).exitCode).toBe(
      EXIT_INTERNAL,
    );
    for (const code of REFUSAL_CODES)
      expect([EXIT_USAGE, EXIT_ATTENTION, EXIT_INTERNAL], code).toContain(
        classifyRefusal(refusalOf(code, 'x')).exitCode,
      );
  });

  it('prints one terminal-safe line with the command name and exits with the code of the refusal', async () => {
    const out = io();
    const code = await runCommands(
      [refusing(refusalOf('no-key', 'No security key is plugged in.\u001b[2J Insert it.'))],
      ['probe'],
      out,
    );
    expect(code).toBe(EXIT_ATTENTION);
    expect(out.lines.err).toEqual(['breakglass probe: No security key is plugged in.\\u001b[2J Insert it.']);
  });
});
