import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, statSync, truncateSync } from 'node:fs';
import path from 'node:path';

/**
 * The power-loss model (power-loss-shim.c): compile the shim with the system C compiler, run a
 * child under it, and after a SIGKILL "cut the power": every file in the watched folder goes
 * back to its last fsynced contents (empty if it was never fsynced; the -shm index is rebuilt by
 * SQLite and so removed).
 */
export function compileShim(outDir: string): string {
  const out = path.join(outDir, 'power-loss-shim.so');
  execFileSync(
    'cc',
    ['-shared', '-fPIC', '-O1', '-o', out, path.join(__dirname, 'power-loss-shim.c'), '-ldl', '-lpthread'],
    { stdio: 'pipe' },
  );
  return out;
}

export interface PowerLossDirs {
  /** The folder whose files lose unsynced writes. */
  watch: string;
  /** Where the shim keeps the durable copies. */
  store: string;
}

export function shimEnv(shim: string, dirs: PowerLossDirs): NodeJS.ProcessEnv {
  return { LD_PRELOAD: shim, BG_POWERLOSS_WATCH: dirs.watch, BG_POWERLOSS_STORE: dirs.store };
}

const shadowName = (relative: string) => relative.split(path.sep).join('%');

function filesUnder(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory()
      ? filesUnder(path.join(dir, d.name), path.join(prefix, d.name))
      : d.isFile()
        ? [path.join(prefix, d.name)]
        : [],
  );
}

/** Every file back to what the disk durably held. Returns how many files lost bytes. */
export function cutPower(dirs: PowerLossDirs): number {
  let lost = 0;
  for (const rel of filesUnder(dirs.watch)) {
    const file = path.join(dirs.watch, rel);
    if (rel.endsWith('-shm')) {
      rmSync(file);
      continue;
    }
    const shadow = path.join(dirs.store, shadowName(rel));
    const before = statSync(file).size;
    if (existsSync(shadow)) copyFileSync(shadow, file);
    else truncateSync(file, 0);
    if (statSync(file).size !== before) lost += 1;
  }
  return lost;
}

/** After a clean shutdown everything on disk is durable: the shadows catch up with the files. */
export function syncAll(dirs: PowerLossDirs): void {
  mkdirSync(dirs.store, { recursive: true });
  for (const f of readdirSync(dirs.store)) rmSync(path.join(dirs.store, f));
  for (const rel of filesUnder(dirs.watch))
    copyFileSync(path.join(dirs.watch, rel), path.join(dirs.store, shadowName(rel)));
}
