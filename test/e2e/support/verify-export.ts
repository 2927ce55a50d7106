import path from 'node:path';
import { cli } from '../../support/run-cli';
import type { RunningApp } from './core';

/**
 * `breakglass verify` of a bundle the window exported, as a reviewer runs it afterwards: pinned to
 * the drill key's trusted-keys file (`key export-trust --drill`), on a clock after the ceremony.
 */
export async function verifyExported(app: RunningApp, bundlePath: string) {
  const trust = path.join(app.core.dataDir, 'drill-keys.json');
  const exported = await cli(['key', 'export-trust', '--drill', '--data-dir', app.core.dataDir, '--out', trust]);
  if (exported.code !== 0) throw new Error(exported.err);
  return cli(['verify', bundlePath, '--trusted-keys', trust], new Date(Date.now() + 30 * 86_400_000));
}
