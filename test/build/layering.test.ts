import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '../..');
const eslint = new ESLint({ cwd: ROOT });

async function restrictedImports(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(ROOT, file) });
  return result!.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('process layering is enforced by lint', () => {
  it('src-shared may not import node:*, electron or src-main', async () => {
    const found = await restrictedImports(
      'src-shared/probe.ts',
      "import fs from 'node:fs';\nimport { app } from 'electron';\nimport { openJournal } from '../src-main/journal/journal';\nexport const x = [fs, app, openJournal];\n",
    );
    expect(found).toHaveLength(3);
  });

  it('src-renderer may import only types from src-main, and no electron/node', async () => {
    const found = await restrictedImports(
      'src-renderer/probe.ts',
      "import type { Journal } from '../src-main/journal/journal';\nimport { openJournal } from '../src-main/journal/journal';\nimport { ipcRenderer } from 'electron';\nexport const x: [Journal | null, unknown, unknown] = [null, openJournal, ipcRenderer];\n",
    );
    expect(found).toHaveLength(2);
  });

  it('the preload may import only electron and src-shared', async () => {
    expect(await restrictedImports('src-main/preload/probe.ts', "import { x } from '../journal/journal';\nexport const y = x;\n")).toHaveLength(1);
    expect(await restrictedImports('src-main/preload/probe.ts', "import { INVOKE_CHANNELS } from '../../src-shared/ipc/channels';\nexport const y = INVOKE_CHANNELS;\n")).toHaveLength(0);
  });
});
