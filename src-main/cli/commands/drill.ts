import path from 'node:path';
import { parseIsoInstant } from '../../../src-shared/iso-instant';
import { printable } from '../../fs/printable';
import { loadCliConfig } from '../load-cli-config';
import { DrillError, runDrill } from '../../ceremony/run-drill';
import { APP_VERSION } from '../../ceremony/app-version';
import { EXIT_ATTENTION, EXIT_OK, UserError, requireString, type CliCommand } from '../command';

export const drillCommand: CliCommand = {
  name: 'drill',
  summary: 'Run the whole ceremony headlessly with the virtual key (DRILL), export it, print the bundle path.',
  usage:
    'breakglass drill --data-dir DIR --export OUT_DIR [--scenario sso-down|mfa-lost|console-outage|p0-role] [--account NAME] ' +
    '[--start-time ISO] [--duration-minutes N] [--action TEXT ...] [--config FILE]',
  options: {
    'data-dir': { type: 'string' },
    export: { type: 'string' },
    scenario: { type: 'string' },
    account: { type: 'string' },
    'start-time': { type: 'string' },
    'duration-minutes': { type: 'string' },
    action: { type: 'string', multiple: true },
    config: { type: 'string' },
  },
  async run({ values }, io) {
    const dataDir = path.resolve(requireString(values, 'data-dir', drillCommand));
    const outDir = path.resolve(requireString(values, 'export', drillCommand));
    let startTime = io.now();
    if (typeof values['start-time'] === 'string') {
      const text = values['start-time'];
      const parsed = parseIsoInstant(text);
      if (!parsed.ok) throw new UserError(`--start-time: ${parsed.reason}; got "${printable(text)}"`);
      startTime = parsed.date;
    }
    let duration: number | undefined;
    if (typeof values['duration-minutes'] === 'string') {
      duration = Number(values['duration-minutes']);
      if (!/^\d+$/.test(values['duration-minutes']) || duration < 1 || duration > 240) {
        throw new UserError(`--duration-minutes: expected whole minutes from 1 to 240, got "${values['duration-minutes']}"`);
      }
    }
    const loaded = loadCliConfig({ explicit: typeof values.config === 'string' ? values.config : undefined, env: io.env, dataDir });
    io.out(`DRILL config: ${loaded.description}`);
    try {
      const result = await runDrill({
        dataDir,
        outDir,
        config: loaded.config,
        configSource: loaded.description,
        appVersion: APP_VERSION,
        scenario: typeof values.scenario === 'string' ? values.scenario : undefined,
        account: typeof values.account === 'string' ? values.account : undefined,
        startTime,
        durationMinutes: duration,
        actions: Array.isArray(values.action) ? (values.action as string[]) : [],
        log: io.out,
      });
      io.out(`DRILL session log: ${result.sessionLogPath}`);
      // The last line is the bundle path, for scripts: `breakglass verify "$(breakglass drill ... | tail -1)"`.
      io.out(result.bundlePath);
      return EXIT_OK;
    } catch (error) {
      if (error instanceof DrillError) throw new UserError(`DRILL stopped: ${error.message}`, EXIT_ATTENTION);
      throw error;
    }
  },
};
