// `breakglass <command> --help` is generated from each command's definition: every option with
// its default, every exit code, and an example that parses. The README's exit-code table says
// the same as the definitions.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../../src-main/cli/commands/index';
import { exitCodesOf, formatUsage, parseCommandArgs, SHARED_EXIT_CODES } from '../../../src-main/cli/command';
import { cli } from '../../support/run-cli';

const README = readFileSync(path.resolve(__dirname, '../../../README.md'), 'utf8');

/** Splits an example the way a POSIX shell would for plain words and "double quotes". */
function shellWords(line: string): string[] {
  return [...line.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2] ?? m[3]!);
}

/** The README row for a command's own exit codes. */
function readmeRow(name: string): string {
  const command = COMMANDS.find((c) => c.name === name)!;
  const own = Object.entries(command.exitCodes).map(([code, meaning]) => `${code}: ${meaning}`);
  return `| \`${name}\` | ${own.join('; ')} |`;
}

describe.each(COMMANDS.map((c) => [c.name, c] as const))('breakglass %s --help', (name, command) => {
  it('prints the usage, every option with its default or "required", the exit codes and an example', async () => {
    const r = await cli([name, '--help']);
    expect(r.code).toBe(0);
    const lines = r.out.split('\n');
    expect(lines[0]).toBe(`usage: ${formatUsage(command)}`);
    for (const [option, o] of Object.entries(command.options)) {
      const at = lines.findIndex((l) => l.startsWith(`  --${option}`));
      expect(at, `--${option} is listed`).toBeGreaterThan(0);
      const said = lines[at + 1]!;
      expect(said).toContain(o.help);
      if (o.required) expect(said).toMatch(/\(required\)$/);
      else if (o.type === 'boolean') expect(said).toMatch(/\(default: off\)$/);
      else {
        expect(o.default, `--${option} says what applies without it`).toBeTruthy();
        expect(said.endsWith(`(default: ${o.default})`)).toBe(true);
      }
    }
    const codes = lines.slice(lines.indexOf('Exit codes:') + 1, lines.indexOf('', lines.indexOf('Exit codes:')));
    expect(codes.map((l) => Number(l.trim().split(/\s+/)[0]))).toEqual(exitCodesOf(command).map(([c]) => c));
    expect(codes.map((l) => Number(l.trim().split(/\s+/)[0]))).toEqual(expect.arrayContaining([0, 2, 70]));
    expect(lines.at(-2)).toBe('Example:');
    expect(lines.at(-1)).toBe(`  ${command.example}`);
  });

  it('has an example that parses with its own options, required ones included', () => {
    const [bin, sub, ...args] = shellWords(command.example);
    expect([bin, sub]).toEqual(['breakglass', name]);
    expect(() => parseCommandArgs(command, args)).not.toThrow();
  });

  it('lists every choice of its positional arguments with what it does', async () => {
    const out = (await cli([name, '--help'])).out;
    for (const p of command.positionals ?? []) {
      for (const [choice, meaning] of Object.entries(p.choices ?? {}))
        expect(out).toMatch(new RegExp(`^ +${choice} +${meaning.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm'));
    }
  });

  it('has a README row naming only options it has', () => {
    const row = README.split('\n').find(
      (l) => l.startsWith(`| \`breakglass ${name} `) || l.startsWith(`| \`breakglass ${name}\``),
    );
    expect(row, `README's CLI table has a row for ${name}`).toBeDefined();
    const usage = row!.match(/^\| `([^`]*)`/)![1]!;
    for (const flag of usage.matchAll(/--([a-z-]+)/g)) expect(Object.keys(command.options)).toContain(flag[1]);
  });

  it('has its exit codes in the README', () => {
    expect(README).toContain(readmeRow(name));
  });
});

describe('exit codes every command shares', () => {
  it('are in the README with the same meaning', () => {
    for (const [code, meaning] of Object.entries(SHARED_EXIT_CODES))
      expect(README).toContain(`| ${code} | ${meaning} |`);
  });

  it('a required option that is missing is refused before the command runs, naming it', async () => {
    const r = await cli(['review', '--from', '2026-07-01']);
    expect(r.code).toBe(2);
    expect(r.err.split('\n')[0]).toBe(
      'breakglass review: --to is required: the last day of the period, included (or an ISO time)',
    );
  });
});
