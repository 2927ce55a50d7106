import { defaultDataDir } from '../data-dir';
import { BundleReadError } from '../evidence/parse-bundle';
import { readTrustFile } from '../evidence/read-evidence';
import { TrustFileError } from '../evidence/trust-file';
import { VERDICT_EXITS } from './verdict-exits';
import { verifiedBundleFromFile, type VerifiedBundle } from '../evidence/verified-bundle';
import { InputFileError } from '../fs/read-input-file';
import { UserError, type CliIo, type CliOption } from './command';
import { loadCliConfig } from './load-cli-config';
import { CONFIG, DATA_DIR } from './common-options';

/** The options every command that reads a bundle takes, so each judges it the same way. */
export const EVIDENCE_OPTIONS: Readonly<Record<string, CliOption>> = {
  'trusted-keys': {
    type: 'string',
    value: 'FILE',
    help: 'the trusted-keys file written at enrolment (breakglass key export-trust); checkpoints by any other key are TAMPERED',
    default: 'none: the verdict is at best ORIGIN NOT VERIFIED',
  },
  witness: {
    type: 'string',
    multiple: true,
    value: 'CODE',
    help: 'a witness code the founders wrote down (repeat for each); one that matches neither the notify nor the final code is TAMPERED',
    default: 'none: the output says the witnesses were not checked',
  },
  config: { ...CONFIG, help: 'the runbook configuration the rules are checked against (founders, accounts, role)' },
  'data-dir': { ...DATA_DIR, help: 'where to look for config.yaml' },
};

/**
 * A bundle file through the one evidence verifier, with the reviewer's pins and the founders'
 * codes. An unreadable bundle or trust file is one line and exit 2 (UNREADABLE).
 */
export function readVerifiedBundle(
  file: string,
  values: Record<string, unknown>,
  io: CliIo,
): VerifiedBundle & { rulesSource: string } {
  const loaded = loadCliConfig({
    explicit: typeof values.config === 'string' ? values.config : undefined,
    env: io.env,
    dataDir: typeof values['data-dir'] === 'string' ? values['data-dir'] : defaultDataDir(),
  });
  try {
    const trust = typeof values['trusted-keys'] === 'string' ? readTrustFile(values['trusted-keys']) : undefined;
    const witnesses = Array.isArray(values.witness) ? (values.witness as string[]) : [];
    return {
      ...verifiedBundleFromFile(file, { trust, witnesses, config: loaded.config, now: io.now() }),
      rulesSource: loaded.description,
    };
  } catch (error) {
    if (error instanceof BundleReadError || error instanceof InputFileError || error instanceof TrustFileError)
      throw new UserError(error.message, VERDICT_EXITS.UNREADABLE);
    throw error;
  }
}
