import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { judge, parseAllowlist, scan, type ScanResult } from './electronegativity-scan';
import { ROOT } from './packaging-rules';

// The sources, not dist/: dist bundles third-party code (zod, React) whose findings we cannot act
// on, and findings in sources point at the line to fix. The preload lives in src-main/preload.
const SOURCES = ['src-main', 'src-renderer', 'src-shared'];
const allowlist = parseAllowlist(readFileSync(path.join(ROOT, '.electronegativity-allowlist'), 'utf8'));
const skipChecks = allowlist.skipChecks.map((s) => s.check);

describe('electronegativity over the app sources', () => {
  let result: ScanResult;

  it('runs offline with its checks loaded', async () => {
    result = await scan(ROOT, SOURCES, skipChecks);
    expect(result.atomicChecks).toBeGreaterThan(30);
    expect(result.globalChecks).toBeGreaterThan(3);
    // It did look at our code: the package.json Electron version check always reports.
    expect(result.issues.map((i) => i.id)).toContain('ELECTRON_VERSION_JSON_CHECK');
  });

  it('has no finding of MEDIUM severity or above that the allowlist does not explain', () => {
    const verdict = judge(result, allowlist);
    for (const low of result.issues.filter((i) => i.severity_value < 2 && i.id !== 'ELECTRON_VERSION_JSON_CHECK')) {
      console.info(`[electronegativity] below the bar: ${low.severity} ${low.id} ${low.file}:${low.line}`);
    }
    expect(verdict.unparsed, 'files electronegativity could not parse (so did not check)').toEqual([]);
    expect(
      verdict.unexplained,
      'unexplained findings: fix them, or explain each in .electronegativity-allowlist',
    ).toEqual([]);
    expect(verdict.stale, 'allowlist entries that match nothing').toEqual([]);
  });
});

describe('the electronegativity gate can fail', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('reports a planted insecure window that the allowlist does not cover', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'breakglass-eng-fixture-'));
    dirs.push(root);
    mkdirSync(path.join(root, 'src-main'));
    writeFileSync(
      path.join(root, 'package.json'),
      JSON.stringify({ name: 'fixture', devDependencies: { electron: '45.4.1' } }),
    );
    writeFileSync(
      path.join(root, 'src-main', 'bad-window.ts'),
      [
        "import { BrowserWindow } from 'electron';",
        'export function open(): BrowserWindow {',
        '  const win = new BrowserWindow({ webPreferences: { nodeIntegration: true, contextIsolation: false, sandbox: false, webSecurity: false } });',
        "  void win.loadURL('http://example.com/');",
        '  return win;',
        '}',
      ].join('\n'),
    );
    const planted = await scan(root, ['src-main'], skipChecks);
    const verdict = judge(planted, allowlist);
    const text = verdict.unexplained.join('\n');
    expect(text).toMatch(
      /HIGH CONTEXT_ISOLATION_JS_CHECK src-main\/bad-window\.ts:3:\d+ `const win = new BrowserWindow/,
    );
    expect(text).toMatch(/MEDIUM WEB_SECURITY_JS_CHECK src-main\/bad-window\.ts:3/);
    expect(text).toMatch(/MEDIUM HTTP_RESOURCES_JS_CHECK src-main\/bad-window\.ts:4/);
    // The global checks that our sources pass (navigation limits, permission handler, CSP) fail here.
    expect(text).toMatch(/HIGH LIMIT_NAVIGATION_GLOBAL_CHECK/);
    expect(text).toMatch(/PERMISSION_REQUEST_HANDLER_GLOBAL_CHECK/);
    expect(text).toMatch(/CSP_GLOBAL_CHECK .*No CSP/);
    // The allowlist entries for windows.ts do not excuse the same checks in another file.
    expect(text).toMatch(/SANDBOX_JS_CHECK src-main\/bad-window\.ts/);
    // Every entry of the real allowlist is stale against this fixture.
    expect(verdict.stale).toHaveLength(allowlist.entries.length);
  });

  it('refuses allowlist lines without a reason', () => {
    expect(() => parseAllowlist('SANDBOX_JS_CHECK src-main/windows.ts')).toThrow(
      /line 1: expected "<CHECK_ID> <file> <why/,
    );
    expect(() => parseAllowlist('# ok\nSANDBOX_JS_CHECK src-main/windows.ts too short')).toThrow(/line 2/);
    expect(() => parseAllowlist('skip-check CSPGlobalCheck')).toThrow(/skip-check <CheckName> <why/);
    expect(
      parseAllowlist('SANDBOX_JS_CHECK src-main/windows.ts the preferences come from a tested function').entries,
    ).toEqual([
      {
        id: 'SANDBOX_JS_CHECK',
        file: 'src-main/windows.ts',
        reason: 'the preferences come from a tested function',
        line: 1,
      },
    ]);
  });
});
