import { createPrivateKey, randomBytes, X509Certificate } from 'node:crypto';
import { existsSync } from 'node:fs';
import { writeFileDurably } from '../../fs/durable-write';
import { InputFileError, MAX_DRILL_STATE_BYTES, readRegularFileSync } from '../../fs/read-input-file';
import { KeyError } from '../../webauthn/key-error';
import { createAttestationIdentity, type AttestationIdentity } from './virtual-attestation';
import { VIRTUAL_AAGUID_HEX, VIRTUAL_CERT_SUBJECT_CN } from '../../webauthn/virtual-marks';

export const DRILL_STATE_FORMAT = 'breakglass.virtual-key-drill-state';

const WARNING =
  'DRILL KEY - NOT HARDWARE. This file holds the private keys of the Breakglass VIRTUAL authenticator used for drills. ' +
  'It is not a secret of the organisation and proves nothing about a real person: anyone holding this file can sign as the virtual key. ' +
  'Never enrol the virtual key for a real ceremony.';

export interface DrillState {
  masterKey: Buffer;
  attestation: AttestationIdentity;
  signCount: number;
}

export function newDrillState(): DrillState {
  return { masterKey: randomBytes(32), attestation: createAttestationIdentity(), signCount: 0 };
}

/**
 * Loads the virtual key's state from `path`, creating it when absent. A file that is not a valid
 * drill state is refused and left as it is.
 */
export function loadOrCreateDrillState(path: string): DrillState {
  if (!existsSync(path)) {
    const state = newDrillState();
    saveDrillState(path, state);
    return state;
  }
  try {
    const raw = JSON.parse(
      readRegularFileSync(path, { maxBytes: MAX_DRILL_STATE_BYTES, what: 'drill key state file' }),
    ) as Record<string, unknown>;
    if (raw.format !== DRILL_STATE_FORMAT || raw.version !== 1) throw new Error(`not a ${DRILL_STATE_FORMAT} v1 file`);
    if (raw.aaguid !== VIRTUAL_AAGUID_HEX) throw new Error('not the virtual AAGUID');
    const masterKey = Buffer.from(String(raw.master_key), 'hex');
    if (masterKey.length !== 32) throw new Error('master_key is not 32 bytes of hex');
    const privateKey = createPrivateKey(String(raw.attestation_private_key_pkcs8));
    const certificate = Buffer.from(String(raw.attestation_certificate), 'base64');
    const cert = new X509Certificate(certificate);
    if (!cert.subject.includes(VIRTUAL_CERT_SUBJECT_CN) || !cert.checkPrivateKey(privateKey))
      throw new Error('attestation certificate does not match');
    const signCount = raw.sign_count;
    if (typeof signCount !== 'number' || !Number.isSafeInteger(signCount) || signCount < 0)
      throw new Error('sign_count is not a counter');
    return { masterKey, attestation: { privateKey, certificate }, signCount };
  } catch (error) {
    throw new KeyError(
      'invalid-input',
      `The drill key state at ${path} is unreadable (${error instanceof InputFileError ? error.detail : (error as Error).message}). It was left untouched; move it away to start a new drill key.`,
    );
  }
}

export function saveDrillState(path: string, state: DrillState): void {
  const body = {
    format: DRILL_STATE_FORMAT,
    version: 1,
    WARNING,
    aaguid: VIRTUAL_AAGUID_HEX,
    master_key: state.masterKey.toString('hex'),
    attestation_private_key_pkcs8: state.attestation.privateKey.export({ format: 'pem', type: 'pkcs8' }),
    attestation_certificate: state.attestation.certificate.toString('base64'),
    sign_count: state.signCount,
  };
  // fsync before and after the rename: a power cut once left this file empty, and every later
  // drill in that data directory failed on it.
  writeFileDurably(path, `${JSON.stringify(body, null, 2)}\n`, { mode: 0o600 });
}
