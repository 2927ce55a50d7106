import { defaultDataDir } from '../data-dir';
import { BundleReadError } from '../evidence/parse-bundle';
import { readTrustFile } from '../evidence/read-evidence';
import { TrustFileError } from '../evidence/trust-file';
import { VERDICTS } from '../evidence/verdict';
import { verifiedBundleFromFile, type VerifiedBundle } from '../evidence/verified-bundle';
import { InputFileError } from '../fs/read-input-file';
import { UserError, type CliIo } from './command';
import { loadCliConfig } from './load-cli-config';

/** The options every command that reads a bundle takes, so each judges it the same way. */
export const EVIDENCE_OPTIONS = {
  'trusted-keys': { type: 'string' },
  witness: { type: 'string', multiple: true },
  config: { type: 'string' },
  'data-dir': { type: 'string' },
} as const;

/**
 * A bundle file through the one evidence verifier, with the reviewer's pins and the founders'
 * codes. An unreadable bundle or trust file is one line and exit 2 (UNREADABLE).
 */
export function readVerifiedBundle(file: string, values: Record<string, unknown>, io: CliIo): VerifiedBundle & { rulesSource: string } {
  const loaded = loadCliConfig({
    explicit: typeof values.config === 'string' ? values.config : undefined,
    env: io.env,
    dataDir: typeof values['data-dir'] === 'string' ? values['data-dir'] : defaultDataDir(),
  });
  try {
    const trust = typeof values['trusted-keys'] === 'string' ? readTrustFile(values['trusted-keys']) : undefined;
    const witnesses = Array.isArray(values.witness) ? (values.witness as string[]) : [];
    return { ...verifiedBundleFromFile(file, { trust, witnesses, config: loaded.config, now: io.now() }), rulesSource: loaded.description };
  } catch (error) {
    if (error instanceof BundleReadError || error instanceof InputFileError || error instanceof TrustFileError) throw new UserError(error.message, VERDICTS.UNREADABLE.exit);
    throw error;
  }
}
