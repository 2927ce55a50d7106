import os from 'node:os';
import path from 'node:path';

/**
 * The same directory Electron's app.getPath('userData') gives for productName "Breakglass",
 * so the app and the CLI find one journal without being told. `--data-dir` overrides both.
 */
export function defaultDataDir(
  platform: NodeJS.Platform = process.platform,
  env: NodeJS.ProcessEnv = process.env,
): string {
  const home = os.homedir();
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'Breakglass');
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'Breakglass');
  return path.join(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), 'Breakglass');
}
