import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '../..');
/** Where the product's source lives (tests and fixtures are not held to it). */
const SOURCE_DIRS = ['src-main', 'src-shared', 'src-renderer', 'scripts', 'bin', 'bench'];
const SOURCE = /\.(ts|tsx|js|mjs|cjs|css|html)$/;
const MAX_LINES = 400;

function filesUnder(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && SOURCE.test(e.name))
    .map((e) => path.relative(ROOT, path.join(e.parentPath, e.name)))
    .filter((f) => !f.startsWith(path.join('bench', 'results')));
}

describe('source files stay readable', () => {
  it(`no source file is over ${MAX_LINES} lines`, () => {
    const long = SOURCE_DIRS.flatMap(filesUnder)
      .map((file) => ({ file, lines: readFileSync(path.join(ROOT, file), 'utf8').split('\n').length - 1 }))
      .filter((f) => f.lines > MAX_LINES)
      .map((f) => `${f.file}: ${f.lines} lines`);
    expect(long).toEqual([]);
  });
});
