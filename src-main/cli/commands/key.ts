import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { loadCliConfig } from '../load-cli-config';
import { DATABASE_FILE } from '../../db/open-database';
import { defaultDataDir } from '../../data-dir';
import { VIRTUAL_KEY_STATE_FILE } from '../../use-cases/run-drill';
import { describeAuthenticator } from '../../webauthn/describe-authenticator';
import { enrolOperatorKey } from '../../hardware-key/enrolment/enrol-key';
import { isDrillKey } from '../../hardware-key/enrolment/enrolment-slot';
import { listEnrolledKeys } from '../../hardware-key/enrolment/enrolment-store';
import { refusalOf } from '../../../src-shared/result';
import { KeyError } from '../../webauthn/key-error';
import { createKeyService, type PinRequest } from '../../hardware-key/key-service';
import { createNodeHidDiscovery } from '../../hardware-key/transport/node-hid-transport';
import { createVirtualAuthenticator } from '../../hardware-key/virtual/virtual-authenticator';
import { virtualDiscovery } from '../../hardware-key/virtual/virtual-discovery';
import { openJournal, type Journal } from '../../journal/journal';
import { trustFileText, trustFingerprint } from '../../evidence/trust-file';
import { writeFileDurably } from '../../fs/durable-write';
import { EXIT_ATTENTION, EXIT_OK, UserError, defineCommand, type CliIo } from '../command';
import { CONFIG, DATA_DIR } from '../common-options';
import { openJournalForReading } from '../open-existing-journal';

const ACTIONS = ['status', 'list', 'enrol', 'export-trust'] as const;
/** Every action says what it does in --help (a new one does not compile without its line). */
const ACTION_HELP: Record<(typeof ACTIONS)[number], string> = {
  status: 'is a key plugged in and usable',
  list: 'the enrolled keys',
  enrol: 'enrol the key plugged in (one touch) as --label for --operator',
  'export-trust':
    'write the trusted-keys file reviewers pin (--out), and print its fingerprint to read to the founders',
};

/**
 * The operator's keys: is one plugged in, which are enrolled, and enrolment of the primary and
 * backup key before any ceremony (the app offers the same). `--drill` uses the virtual key.
 */
export const keyCommand = defineCommand({
  name: 'key',
  summary:
    'Security key status, the enrolled keys, enrolment of a primary or backup key, and the trusted-keys file reviewers pin.',
  positionals: [{ name: ACTIONS.join('|'), help: 'what to do', choices: ACTION_HELP }],
  options: {
    'data-dir': DATA_DIR,
    config: CONFIG,
    label: { type: 'string', value: 'primary|backup', help: 'enrol: which slot the key takes', default: 'primary' },
    operator: {
      type: 'string',
      value: 'EMAIL',
      help: "enrol: the principal the key belongs to; export-trust: only that principal's keys",
      default: 'the only principal in the configuration (required when there are several)',
    },
    drill: {
      type: 'boolean',
      help: 'use the virtual drill key (its state lives in the data directory) instead of a real one',
    },
    out: {
      type: 'string',
      value: 'FILE',
      help: 'export-trust: where to write the trusted-keys file',
      default: 'required for export-trust',
    },
  },
  exitCodes: {
    0: 'status found a usable key, list listed the keys, enrol enrolled one, export-trust wrote the file',
    1: 'status found no usable key (the line says why), enrol failed at the key (refused, timed out), or export-trust found no key to pin',
  },
  example: 'breakglass key enrol --label backup',
  async run({ values, positionals }, io) {
    const action = positionals[0];
    if (positionals.length !== 1 || !ACTIONS.includes(action as (typeof ACTIONS)[number])) {
      throw new UserError(`say what to do: ${ACTIONS.join(', ')}\nusage: ${keyCommand.usage}`);
    }
    const dataDir = typeof values['data-dir'] === 'string' ? values['data-dir'] : defaultDataDir();
    const loaded = loadCliConfig({
      explicit: typeof values.config === 'string' ? values.config : undefined,
      env: io.env,
      dataDir,
    });
    const drill = values.drill === true;
    // list and export-trust only read the journal: no key, no drill-key state, nothing written in
    // the data directory (a read-only one works). status and enrol talk to a key.
    if (action === 'list' || action === 'export-trust') {
      const file = path.join(dataDir, DATABASE_FILE);
      if (action === 'list' && !existsSync(file)) {
        io.out(
          `No key is enrolled yet (there is no journal at ${file}). Enrol a primary and a backup key: breakglass key enrol --label primary`,
        );
        return EXIT_OK;
      }
      const journal = openJournalForReading(dataDir);
      try {
        return action === 'list'
          ? listKeys(journal, io)
          : exportTrust(
              journal,
              { drill, rpId: loaded.config.keys.rp_id, out: values.out, operator: values.operator },
              io,
            );
      } finally {
        journal.close();
      }
    }
    if (drill) mkdirSync(dataDir, { recursive: true }); // the drill key keeps its state there
    const discover = drill
      ? virtualDiscovery(
          createVirtualAuthenticator({ touchDelayMs: 200, statePath: path.join(dataDir, VIRTUAL_KEY_STATE_FILE) }),
        )
      : createNodeHidDiscovery();
    const keys = createKeyService({
      discover,
      rpId: loaded.config.keys.rp_id,
      requireUserVerification: !drill && loaded.config.keys.require_user_verification,
      ...(io.readPin
        ? {
            askPin: async (request: PinRequest) => {
              io.out(`${request.message} (${request.retries} ${request.retries === 1 ? 'try' : 'tries'} left)`);
              return io.readPin!('Key PIN (not shown; Ctrl-C cancels): ');
            },
          }
        : {}),
      onEvent: (e) => {
        if (e.type === 'touch-needed') io.out('Touch your key now.');
      },
    });
    const journal = action === 'status' ? null : openJournal({ dataDir });
    try {
      if (action === 'status') {
        const status = await keys.status();
        if (!status.present) {
          io.out(status.error ? `No key: ${status.error}` : 'No security key is plugged in.');
          return EXIT_ATTENTION;
        }
        io.out(
          `${drill ? 'VIRTUAL (drill) ' : ''}key present: ${status.product ?? 'FIDO key'}${status.firmware ? `, firmware ${status.firmware}` : ''}, ${status.protocol ?? 'unknown protocol'}`,
        );
        const uv = status.userVerification;
        if (uv)
          io.out(
            `  user verification: PIN ${uv.pin}${uv.fingerprint ? ', fingerprint' : ''}${uv.alwaysUv ? ', always required by the key (alwaysUv)' : ''}`,
          );
        if (status.error) io.out(`  cannot be used: ${status.error}`);
        return status.error ? EXIT_ATTENTION : EXIT_OK;
      }
      const label = values.label ?? 'primary';
      if (label !== 'primary' && label !== 'backup')
        throw new UserError(`--label: expected primary or backup, got "${String(label)}"`);
      const principals = loaded.config.principals;
      const operator =
        typeof values.operator === 'string' ? values.operator : principals.length === 1 ? principals[0]!.id : undefined;
      if (!operator || !principals.some((p) => p.id === operator)) {
        throw new UserError(
          `--operator: expected one of the configured principals (${principals.map((p) => p.id).join(', ')})`,
        );
      }
      const enrolled = await enrolOperatorKey(journal!.db, keys, { operator, label, drill });
      if (!enrolled.ok) return enrolled.error;
      const key = enrolled.value;
      io.out(
        `enrolled ${label} key for ${operator}: ${key.credential_id.slice(0, 16)}… (${describeAuthenticator(key).label})`,
      );
      return EXIT_OK;
    } catch (error) {
      // The key layer's typed failure (no key, no HID access): its code decides the exit code.
      if (error instanceof KeyError) return refusalOf(error.code, error.message);
      throw error;
    } finally {
      keys.close();
      journal?.close();
    }
  },
});

function listKeys(journal: Journal, io: CliIo): number {
  const enrolled = listEnrolledKeys(journal.db);
  if (enrolled.length === 0)
    io.out('No key is enrolled yet. Enrol a primary and a backup key: breakglass key enrol --label primary');
  for (const k of enrolled)
    io.out(
      `${k.operator} ${k.label}: ${k.credential_id.slice(0, 16)}… ${describeAuthenticator(k).label}, enrolled ${k.enrolled_at}`,
    );
  return EXIT_OK;
}

/**
 * The trust anchor: the public keys enrolled for real ceremonies (or, with --drill, the drill
 * key), written at enrolment to a file the founders keep. Its fingerprint is read aloud to them
 * then, so a file swapped later does not match what they heard.
 */
function exportTrust(
  journal: Journal,
  o: { drill: boolean; rpId: string; out: unknown; operator: unknown },
  io: CliIo,
): number {
  if (typeof o.out !== 'string' || o.out.length === 0)
    throw new UserError('--out FILE is required: where to write the trusted-keys file');
  const keys = listEnrolledKeys(journal.db, typeof o.operator === 'string' ? o.operator : undefined).filter(
    (k) => k.rp_id === o.rpId && isDrillKey(k) === o.drill,
  );
  if (keys.length === 0)
    throw new UserError(
      `no ${o.drill ? 'drill ' : ''}key is enrolled${typeof o.operator === 'string' ? ` for ${o.operator}` : ''}: enrol one first (breakglass key enrol${o.drill ? ' --drill' : ''})`,
      EXIT_ATTENTION,
    );
  writeFileDurably(o.out, trustFileText(keys));
  io.out(`wrote ${keys.length} ${o.drill ? 'drill ' : ''}key${keys.length === 1 ? '' : 's'} to ${o.out}`);
  io.out(`fingerprint: ${trustFingerprint(keys)}`);
  io.out('Read the fingerprint to the founders; they keep the file and pass it to `breakglass verify --trusted-keys`.');
  return EXIT_OK;
}
