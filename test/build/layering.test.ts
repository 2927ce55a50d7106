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
  it('src-shared may not import node:*, bare Node built-ins, electron or src-main (not even types)', async () => {
    const found = await restrictedImports(
      'src-shared/probe.ts',
      "import fs from 'node:fs';\nimport { readFile } from 'fs/promises';\nimport { EventEmitter } from 'events';\nimport { app } from 'electron';\nimport { openJournal } from '../src-main/journal/journal';\nimport type { Journal } from '../src-main/journal/journal';\nexport const x = [fs, readFile, EventEmitter, app, openJournal] as unknown as Journal;\n",
    );
    expect(found).toHaveLength(6);
    expect(await restrictedImports('src-shared/probe.ts', "import { z } from 'zod';\nexport const s = z.string();\n")).toEqual([]);
  });

  it('src-renderer may not import src-main (not even types), electron or Node', async () => {
    const found = await restrictedImports(
      'src-renderer/probe.ts',
      "import type { Journal } from '../src-main/journal/journal';\nimport { openJournal } from '../src-main/journal/journal';\nimport { ipcRenderer } from 'electron';\nimport fs from 'fs';\nimport os from 'node:os';\nexport const x: [Journal | null, unknown, unknown, unknown, unknown] = [null, openJournal, ipcRenderer, fs, os];\n",
    );
    expect(found).toHaveLength(5);
    expect(await restrictedImports('src-renderer/probe.ts', "import type { IpcResult } from '../src-shared/ipc/contract';\nexport type R = IpcResult<number>;\n")).toEqual([]);
  });

  it('the preload may import only electron and src-shared', async () => {
    expect(await restrictedImports('src-main/preload/probe.ts', "import { x } from '../journal/journal';\nexport const y = x;\n")).toHaveLength(1);
    expect(await restrictedImports('src-main/preload/probe.ts', "import { INVOKE_CHANNELS } from '../../src-shared/ipc/channels';\nexport const y = INVOKE_CHANNELS;\n")).toHaveLength(0);
  });
});
