import {
  MAX_BUNDLE_BYTES,
  readRegularFileBytesSync,
  readRegularFileSync,
  MAX_TRUSTED_KEYS_BYTES,
} from '../fs/read-input-file';
import { parseBundle, type ParsedBundle } from './parse-bundle';
import { parseTrustFile, type TrustList } from './trust-file';

/** A bundle file, read as evidence: a regular file under the size cap, parsed strictly. */
export function readBundleEvidence(file: string): ParsedBundle {
  return parseBundle(readRegularFileBytesSync(file, { maxBytes: MAX_BUNDLE_BYTES, what: 'bundle' }), file);
}

/** A trusted-keys file from enrolment (`breakglass key export-trust`). */
export function readTrustFile(file: string): TrustList {
  return parseTrustFile(
    readRegularFileSync(file, { maxBytes: MAX_TRUSTED_KEYS_BYTES, what: 'trusted-keys file' }),
    file,
  );
}
