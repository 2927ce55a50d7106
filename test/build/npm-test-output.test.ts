// `npm test`'s vitest output: the project's own reporters (vitest.config.ts) run over a small
// sample suite with a pass, a failure, a skip and a todo. The last line is the count; the JSON
// report is still written but says nothing.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import ProgressReporter from '../support/progress-reporter';
import { ROOT } from './packaging-rules';

// Inside the project (.tmp is git-ignored) so the sample files resolve `vitest`.
const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

function sampleSuite(): string {
  mkdirSync(path.join(ROOT, '.tmp'), { recursive: true });
  const dir = mkdtempSync(path.join(ROOT, '.tmp', 'reporter-'));
  dirs.push(dir);
  writeFileSync(
    path.join(dir, 'sample.check.ts'),
    `import { expect, it } from 'vitest';
it('passes', () => expect(1).toBe(1));
it('fails', () => expect(1).toBe(2));
it.skip('is skipped', () => undefined);
it.todo('is to do');
`,
  );
  writeFileSync(
    path.join(dir, 'vitest.config.ts'),
    `import base from ${JSON.stringify(path.join(ROOT, 'vitest.config.ts'))};
export default { ...base, test: { ...base.test, include: ['*.check.ts'] } };
`,
  );
  return dir;
}

describe('npm test output', () => {
  it('ends with one line "N passed, N failed, N skipped" and writes the JSON report quietly', () => {
    const dir = sampleSuite();
    const r = spawnSync(process.execPath, [path.join(ROOT, 'node_modules/vitest/vitest.mjs'), 'run', '--root', dir], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, CI: 'true', NO_COLOR: '1' },
    });
    expect(r.status).toBe(1);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines.at(-1)).toBe('1 passed, 1 failed, 2 skipped');
    expect(lines.filter((l) => /^\d+ passed, \d+ failed, \d+ skipped$/.test(l))).toHaveLength(1);
    expect(r.stdout).toContain('vitest: 1 test files');
    expect(`${r.stdout}${r.stderr}`).not.toContain('JSON report written');
    const report = JSON.parse(readFileSync(path.join(dir, 'test-results/vitest.json'), 'utf8')) as {
      numPassedTests: number;
      numFailedTests: number;
    };
    expect([report.numPassedTests, report.numFailedTests]).toEqual([1, 1]);
  });

  it('names the files still running while a long file runs', () => {
    const lines: string[] = [];
    const reporter = new ProgressReporter({ write: (l) => lines.push(l) });
    reporter.onTestRunStart([{ moduleId: '/p/a.test.ts' }, { moduleId: '/p/b.test.ts' }] as never);
    reporter.onTestModuleStart({ relativeModuleId: 'a.test.ts' } as never);
    reporter.onTestModuleStart({ relativeModuleId: 'b.test.ts' } as never);
    reporter.onTestModuleEnd({ relativeModuleId: 'a.test.ts' } as never);
    reporter.heartbeat();
    reporter.onTestRunEnd([], []);
    expect(lines[0]).toBe('vitest: 2 test files');
    expect(lines[1]).toMatch(/^vitest: 1\/2 files done; running b\.test\.ts \(\d+ s\)$/);
    expect(lines.at(-1)).toBe('0 passed, 0 failed, 0 skipped');
  });
});
