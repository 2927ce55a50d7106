import path from 'node:path';
import { parseIsoInstant } from '../../../src-shared/iso-instant';
import { printable } from '../../fs/printable';
import { loadCliConfig } from '../load-cli-config';
import { runDrill } from '../../use-cases/run-drill';
import { APP_VERSION } from '../../ceremony/app-version';
import { EXIT_ATTENTION, EXIT_OK, UserError, defineCommand, requireString } from '../command';
import { CONFIG } from '../common-options';

export const drillCommand = defineCommand({
  name: 'drill',
  summary:
    'Run the whole ceremony headlessly with the virtual key (DRILL) on a simulated clock, export it, print the bundle path.',
  options: {
    'data-dir': {
      type: 'string',
      value: 'DIR',
      required: true,
      help: 'the journal to record the drill in (drills share it with real ceremonies, never a key slot)',
    },
    export: {
      type: 'string',
      value: 'OUT_DIR',
      required: true,
      help: 'where the bundle and the session log are written',
    },
    scenario: {
      type: 'string',
      value: 'sso-down|mfa-lost|console-outage|p0-role',
      help: 'the runbook scenario to rehearse',
      default: 'sso-down',
    },
    account: {
      type: 'string',
      value: 'NAME',
      help: 'the account from the configuration to sign in to',
      default: 'Production',
    },
    'start-time': {
      type: 'string',
      value: 'ISO',
      help: 'when the simulated clock starts, e.g. 2026-05-20T13:00:00Z',
      default: 'early enough that the drill ends now: its times never lie in the future',
    },
    'duration-minutes': { type: 'string', value: 'N', help: 'the simulated session length, 1 to 240', default: '15' },
    action: {
      type: 'string',
      value: 'TEXT',
      multiple: true,
      help: 'a running-log line, spread evenly over the session',
      default: 'one line saying the drill did nothing',
    },
    config: CONFIG,
    'practise-pin': {
      type: 'boolean',
      help: 'practise a PIN-protected key: the virtual key requires the PIN in $BREAKGLASS_DRILL_PIN for every touch',
    },
  },
  exitCodes: {
    0: 'done: the bundle path is the only line on stdout',
    1: 'the drill stopped at a step (the line says which and why)',
  },
  notes: ['Progress lines (config, key, witness codes, actions) go to stderr; stdout has only the bundle path.'],
  example:
    'breakglass drill --data-dir /tmp/bg --export /tmp/bg-out --action "ran: aws ec2 terminate-instances --instance-ids i-0abc"',
  async run({ values }, io) {
    const dataDir = path.resolve(requireString(values, 'data-dir', drillCommand));
    const outDir = path.resolve(requireString(values, 'export', drillCommand));
    let startTime: Date | undefined;
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
        throw new UserError(
          `--duration-minutes: expected whole minutes from 1 to 240, got "${values['duration-minutes']}"`,
        );
      }
    }
    // From the environment, not the command line, so the drill PIN is not in the process list.
    const pin = values['practise-pin'] === true ? io.env.BREAKGLASS_DRILL_PIN : undefined;
    if (values['practise-pin'] === true && (!pin || [...pin].length < 4)) {
      throw new UserError("--practise-pin: set BREAKGLASS_DRILL_PIN to the drill key's PIN (at least 4 characters)");
    }
    const loaded = loadCliConfig({
      explicit: typeof values.config === 'string' ? values.config : undefined,
      env: io.env,
      dataDir,
    });
    const result = await runDrill({
      dataDir,
      outDir,
      config: loaded.config,
      configSource: loaded.description,
      appVersion: APP_VERSION,
      scenario: typeof values.scenario === 'string' ? values.scenario : undefined,
      account: typeof values.account === 'string' ? values.account : undefined,
      startTime,
      now: io.now(),
      durationMinutes: duration,
      actions: Array.isArray(values.action) ? (values.action as string[]) : [],
      log: io.err,
      ...(pin === undefined ? {} : { pin }),
    });
    // A step the core refused stops the drill: one line naming the step, exit 1 (the drill's own
    // verdict, whatever the refusal's code would mean for the command that made it).
    if (!result.ok) {
      io.err(`breakglass drill: DRILL stopped: ${result.error.message}`);
      return EXIT_ATTENTION;
    }
    io.err(`DRILL session log: ${result.value.sessionLogPath}`);
    // The only line on stdout, for scripts: `breakglass verify "$(breakglass drill ...)"`.
    io.out(result.value.bundlePath);
    return EXIT_OK;
  },
});
