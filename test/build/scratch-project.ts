// A throwaway project root for running the developer scripts (scripts/*.mjs) against a state we
// set up: they resolve everything from their own location, so a copy in a temporary folder works
// on its own node_modules and never on the shared install.
import { cpSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from './packaging-rules';

export const REAL_MODULES = path.join(ROOT, 'node_modules');

export function copyScript(project: string, name: string): string {
  mkdirSync(path.join(project, 'scripts'), { recursive: true });
  const file = path.join(project, 'scripts', name);
  cpSync(path.join(ROOT, 'scripts', name), file);
  writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'scratch', private: true, type: 'module' }));
  return file;
}

/** Links a package of the real install into the scratch project (read-only use). */
export function linkModule(project: string, name: string): void {
  const to = path.join(project, 'node_modules', name);
  mkdirSync(path.dirname(to), { recursive: true });
  symlinkSync(path.join(REAL_MODULES, name), to, 'junction');
}

/** Writes a small package (package.json plus files) into the scratch project's node_modules. */
export function writeModule(project: string, name: string, files: Record<string, string>): string {
  const dir = path.join(project, 'node_modules', name);
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}

export function realElectronVersion(): string {
  return (JSON.parse(readFileSync(path.join(REAL_MODULES, 'electron/package.json'), 'utf8')) as { version: string })
    .version;
}
