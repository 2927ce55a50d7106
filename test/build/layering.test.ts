import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '../..');
const eslint = new ESLint({ cwd: ROOT });

/** The feature layers as eslint.config.js declares them (a plain JS module, read as such). */
const { DOMAIN_IMPORTS, HELPER_FOLDERS } = (await import(pathToFileURL(path.join(ROOT, 'eslint.config.js')).href)) as {
  DOMAIN_IMPORTS: Record<string, string[]>;
  HELPER_FOLDERS: string[];
};

async function restrictedImports(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(ROOT, file) });
  return result!.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

/** The layer rules' findings: static imports (no-restricted-imports) and import()/require() (no-restricted-syntax). */
async function layerFindings(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(ROOT, file) });
  return result!.messages
    .filter((m) => m.ruleId === 'no-restricted-imports' || m.ruleId === 'no-restricted-syntax')
    .map((m) => `${m.line} ${m.message}`);
}

describe('process layering is enforced by lint', () => {
  it('src-shared may not import node:*, bare Node built-ins, electron or src-main (not even types)', async () => {
    const found = await restrictedImports(
      'src-shared/probe.ts',
      "import fs from 'node:fs';\nimport { readFile } from 'fs/promises';\nimport { EventEmitter } from 'events';\nimport { app } from 'electron';\nimport { openJournal } from '../src-main/journal/journal';\nimport type { Journal } from '../src-main/journal/journal';\nexport const x = [fs, readFile, EventEmitter, app, openJournal] as unknown as Journal;\n",
    );
    expect(found).toHaveLength(6);
    expect(
      await restrictedImports('src-shared/probe.ts', "import { z } from 'zod';\nexport const s = z.string();\n"),
    ).toEqual([]);
  });

  it('src-renderer may not import src-main (not even types), electron or Node', async () => {
    const found = await restrictedImports(
      'src-renderer/probe.ts',
      "import type { Journal } from '../src-main/journal/journal';\nimport { openJournal } from '../src-main/journal/journal';\nimport { ipcRenderer } from 'electron';\nimport fs from 'fs';\nimport os from 'node:os';\nexport const x: [Journal | null, unknown, unknown, unknown, unknown] = [null, openJournal, ipcRenderer, fs, os];\n",
    );
    expect(found).toHaveLength(5);
    expect(
      await restrictedImports(
        'src-renderer/probe.ts',
        "import type { IpcResult } from '../src-shared/ipc/contract';\nexport type R = IpcResult<number>;\n",
      ),
    ).toEqual([]);
  });

  it('the preload may import only electron and src-shared', async () => {
    expect(
      await restrictedImports(
        'src-main/preload/probe.ts',
        "import { x } from '../journal/journal';\nexport const y = x;\n",
      ),
    ).toHaveLength(1);
    expect(
      await restrictedImports(
        'src-main/preload/probe.ts',
        "import { INVOKE_CHANNELS } from '../../src-shared/ipc/channels';\nexport const y = INVOKE_CHANNELS;\n",
      ),
    ).toHaveLength(0);
  });
});

describe('feature layering inside src-main is enforced by lint', () => {
  const uses = (...specifiers: string[]) =>
    specifiers.map((s, i) => `import * as m${i} from '${s}';\nexport const x${i} = m${i};\n`).join('');

  it('a domain folder may not import the CLI, the IPC layer, the use cases, services.ts or app.ts', async () => {
    const above = [
      '../cli/command',
      '../ipc/handle',
      '../use-cases/export-ceremony',
      '../services',
      '../app',
      '../services.ts',
    ];
    for (const domain of Object.keys(DOMAIN_IMPORTS)) {
      expect(await restrictedImports(`src-main/${domain}/probe.ts`, uses(...above)), domain).toHaveLength(above.length);
    }
    // Nested files are held to the same rule (imports are relative, so the depth differs).
    expect(
      await restrictedImports('src-main/hardware-key/virtual/probe.ts', uses('../../cli/command', '../../services')),
    ).toHaveLength(2);
  });

  it('no two domain folders import each other: bundle/ and reconcile/ only one way, journal/ nothing above it', async () => {
    expect(
      await restrictedImports(
        'src-main/bundle/probe.ts',
        uses('../reconcile/reconcile', '../ceremony/run-drill', '../sync/push-pending'),
      ),
    ).toHaveLength(3);
    expect(
      await restrictedImports(
        'src-main/reconcile/probe.ts',
        uses('../bundle/session-log', '../journal/journal', '../evidence/verdict'),
      ),
    ).toEqual([]);
    expect(
      await restrictedImports(
        'src-main/journal/probe.ts',
        uses('../bundle/build-bundle', '../hardware-key/key-service'),
      ),
    ).toHaveLength(2);
    expect(
      await restrictedImports(
        'src-main/hardware-key/virtual/probe.ts',
        uses('../../ceremony/ceremony-service', '../../journal/checkpoint-challenge', '../transport'),
      ),
    ).toHaveLength(1);
    expect(
      await restrictedImports(
        'src-main/ceremony/probe.ts',
        uses('../bundle/build-bundle', '../hardware-key/key-service', '../aws/sso-probe', '../fs/durable-write'),
      ),
    ).toEqual([]);
    // Export and the drill need bundle/ and reconcile/ side by side: use cases, above every domain.
    expect(
      await restrictedImports(
        'src-main/ceremony/probe.ts',
        uses('../use-cases/export-ceremony', '../use-cases/run-drill'),
      ),
    ).toHaveLength(2);
    expect(
      await restrictedImports(
        'src-main/use-cases/probe.ts',
        uses(
          '../bundle/build-bundle',
          '../reconcile/postmortem',
          '../ceremony/ceremony-service',
          '../hardware-key/key-service',
        ),
      ),
    ).toEqual([]);
    // ... and below the ways in.
    expect(
      await restrictedImports(
        'src-main/use-cases/probe.ts',
        uses('../cli/command', '../ipc/handle', '../services', '../app'),
      ),
    ).toHaveLength(4);
  });

  it('the offline verifier and the WebAuthn checks it uses import no device code', async () => {
    const device = [
      'hardware-key/key-service',
      'hardware-key/transport/node-hid-transport',
      'hardware-key/virtual/virtual-authenticator',
    ];
    expect(await restrictedImports('src-main/evidence/probe.ts', uses(...device.map((d) => `../${d}`)))).toHaveLength(
      3,
    );
    expect(
      await restrictedImports('src-main/webauthn/attestation/probe.ts', uses(...device.map((d) => `../../${d}`))),
    ).toHaveLength(3);
    expect(
      await restrictedImports(
        'src-main/evidence/probe.ts',
        uses('../webauthn/verify-assertion', '../journal/checkpoint-challenge'),
      ),
    ).toEqual([]);
  });

  it('the allowed imports form no cycle', () => {
    const seen = new Set<string>();
    const visit = (domain: string, path: string[]): void => {
      expect(path, `cycle: ${[...path, domain].join(' -> ')}`).not.toContain(domain);
      if (seen.has(domain)) return;
      for (const next of DOMAIN_IMPORTS[domain] ?? []) visit(next, [...path, domain]);
      seen.add(domain);
    };
    for (const domain of Object.keys(DOMAIN_IMPORTS)) visit(domain, []);
  });

  it('no file is excepted: the files that once imported cli/ are held to the rule like any other', async () => {
    for (const file of [
      'src-main/reconcile/input-error.ts',
      'src-main/reconcile/attach-reconciliation.ts',
      'src-main/sync/audit-log-target.ts',
    ]) {
      expect(await restrictedImports(file, uses('../cli/command')), file).toHaveLength(1);
    }
    expect(
      await restrictedImports(
        'src-main/bundle/session-log.ts',
        uses('../reconcile/postmortem', '../reconcile/reconciliation-types'),
      ),
    ).toHaveLength(2);
  });

  it('import(), require() and import types are held to the same layers as static imports', async () => {
    // One of each kind per line, every one crossing a layer; the allowed import() last.
    const dynamic = (up: string) =>
      [
        'export async function f(name: string): Promise<unknown> {',
        `  const a = await import('${up}cli/command');`,
        `  const b = require('${up}ipc/handle');`,
        `  const c = await import(\`${up}cli/commands/\${name}\`);`,
        `  const d = require(\`${up}services\`);`,
        `  const e: import('${up}app').App | null = null;`,
        `  const g = await import('${up}use-cases/run-drill');`,
        `  return [a, b, c, d, e, g, await import('${up}../src-shared/result')];`,
        '}',
      ].join('\n');
    const folders = [...Object.keys(DOMAIN_IMPORTS), ...HELPER_FOLDERS];
    for (const folder of folders) {
      const found = await layerFindings(`src-main/${folder}/probe.ts`, dynamic('../'));
      expect(
        found.map((f) => Number(f.split(' ')[0])),
        folder,
      ).toEqual([2, 3, 4, 5, 6, 7]);
    }
    // Nested files too, and a domain folder reached only by import() is still another domain.
    expect(await layerFindings('src-main/hardware-key/virtual/probe.ts', dynamic('../../'))).toHaveLength(6);
    expect(
      await layerFindings('src-main/journal/probe.ts', "export const b = () => import('../bundle/build-bundle');\n"),
    ).toHaveLength(1);
    // The use cases may reach the domains but not the ways in, dynamically or not.
    expect(
      await layerFindings(
        'src-main/use-cases/probe.ts',
        "export const x = [import('../cli/command'), require('../services'), import('../bundle/build-bundle')];\n",
      ),
    ).toHaveLength(2);
  });

  it('the helper folders (config/, aws/, fs/) import nothing above the domains', async () => {
    const above = ['../cli/command', '../ipc/handle', '../use-cases/run-drill', '../services', '../app', '../app.ts'];
    for (const helper of HELPER_FOLDERS) {
      expect(await layerFindings(`src-main/${helper}/probe.ts`, uses(...above)), helper).toHaveLength(above.length);
      expect(
        await layerFindings(`src-main/${helper}/probe.ts`, uses('../../src-shared/result', '../fs/printable', 'yaml')),
        helper,
      ).toEqual([]);
    }
  });

  it('a layer zone keeps the rules every file has (its no-restricted-syntax replaces the global one)', async () => {
    const planted = "import { z } from 'zod';\nexport const s = z.string();\ndescribe.only('x', () => undefined);\n";
    for (const folder of ['journal', 'use-cases', 'fs'])
      expect(await layerFindings(`src-main/${folder}/probe.ts`, planted), folder).toHaveLength(2);
  });

  it('the source tree keeps the layers', async () => {
    // Only the layer rules: the layers are the question here, and the rest costs the most time.
    const layerRules = new Set(['no-restricted-imports', 'no-restricted-syntax']);
    const importsOnly = new ESLint({ cwd: ROOT, ruleFilter: ({ ruleId }) => layerRules.has(ruleId) });
    const results = await importsOnly.lintFiles(
      [...Object.keys(DOMAIN_IMPORTS), 'use-cases', ...HELPER_FOLDERS].map((d) => `src-main/${d}/**/*.ts`),
    );
    const broken = results.flatMap((r) =>
      r.messages
        .filter((m) => layerRules.has(m.ruleId ?? ''))
        .map((m) => `${path.relative(ROOT, r.filePath)}:${m.line} ${m.message}`),
    );
    expect(broken).toEqual([]);
  }, 180_000);
});
