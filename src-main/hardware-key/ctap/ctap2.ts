import { encodeCtapMessage } from '../../webauthn/canonical-cbor';
import { asMap, decodeCanonical, getBytes, getText } from '../../webauthn/canonical-cbor-decode';
import { Ctap2Cmd, Ctap2Status } from '../transport/ctaphid-constants';
import { NO_OPTIONS, type CallOptions, type CtapHidClient } from '../transport/ctaphid-client';
import { KeyError } from '../../webauthn/key-error';
import { isPinStatus, pinStatusError } from './pin-status';

export interface AuthenticatorInfo {
  versions: string[];
  /** 32 hex chars */
  aaguid: string;
  options: Record<string, boolean>;
  maxMsgSize?: number;
  /** 0x06: PIN/UV auth protocols in the key's order of preference. */
  pinUvAuthProtocols: number[];
  /** 0x07: how many credentials one allow list may hold. */
  maxCredentialCountInList?: number;
  firmwareVersion?: number;
}

/** pinUvAuthParam and its protocol: makeCredential keys 0x08/0x09, getAssertion 0x06/0x07. */
export interface PinUvAuth {
  param: Buffer;
  protocol: number;
}

export interface MakeCredentialRequest {
  clientDataHash: Buffer;
  rp: { id: string; name?: string };
  user: { id: Buffer; name?: string; displayName?: string };
  excludeCredentialIds?: Buffer[];
  pinUvAuth?: PinUvAuth;
}

export interface MakeCredentialResponse {
  fmt: string;
  authData: Buffer;
  attStmt: Map<unknown, unknown>;
}

export interface GetAssertionRequest {
  rpId: string;
  clientDataHash: Buffer;
  allowCredentialIds: Buffer[];
  /** false only for a silent presence probe, which never counts as proof. */
  userPresence?: boolean;
  pinUvAuth?: PinUvAuth;
}

export interface GetAssertionResponse {
  /** Absent when the allow list had exactly one entry (CTAP 2.1 lets keys omit it). */
  credentialId?: Buffer;
  authData: Buffer;
  signature: Buffer;
}

const STATUS_TEXT: Record<number, string> = {
  0x01: 'invalid command',
  0x02: 'invalid parameter',
  0x03: 'invalid length',
  0x11: 'unexpected CBOR type',
  0x12: 'invalid CBOR',
  0x14: 'missing parameter',
  0x22: 'invalid credential',
  0x26: 'unsupported algorithm (ES256 required)',
  0x28: 'key store full',
  0x2b: 'unsupported option',
  0x2c: 'invalid option',
  0x30: 'not allowed',
  0x39: 'request too large',
};

/** Maps a CTAP2 status byte to the error the ceremony acts on (brief §4.4, §4.5). */
export function ctapStatusError(status: number, operation: string): KeyError {
  const detail = { ctapStatus: status };
  switch (status) {
    case Ctap2Status.OPERATION_DENIED:
    case Ctap2Status.USER_ACTION_TIMEOUT:
    case Ctap2Status.ACTION_TIMEOUT:
    case Ctap2Status.UP_REQUIRED:
      return new KeyError(
        'not-touched',
        `The key was not touched in time (${operation}). Nothing was signed; retry when ready.`,
        detail,
      );
    case Ctap2Status.NO_CREDENTIALS:
      return new KeyError(
        'wrong-key',
        'This is not an enrolled key: it holds none of the enrolled credentials. Use the enrolled primary or backup key.',
        detail,
      );
    case Ctap2Status.KEEPALIVE_CANCEL:
      return new KeyError('cancelled', `The ${operation} was cancelled.`, detail);
    case Ctap2Status.CREDENTIAL_EXCLUDED:
      return new KeyError(
        'already-enrolled',
        'This key is already enrolled. Use a different key for the backup.',
        detail,
      );
    case Ctap2Status.CHANNEL_BUSY:
      return new KeyError('busy', 'The key is busy with another application.', detail);
    default:
      if (isPinStatus(status)) return pinStatusError(status, operation);
      return new KeyError(
        'protocol',
        `The key refused the ${operation}: ${STATUS_TEXT[status] ?? 'status'} (0x${status.toString(16).padStart(2, '0')}).`,
        detail,
      );
  }
}

/**
 * Sends one CTAP2 command (its byte, then the parameters as canonical CBOR) and reads the answer.
 * Not an async function of its own: the caller's single await covers the round trip.
 */
export function send(
  client: CtapHidClient,
  command: number,
  params: Map<number, unknown> | null,
  options: CallOptions,
): Promise<Buffer> {
  return client.cbor(encodeCtapMessage(command, params), options);
}

/** The body of a CTAP2 answer: SUCCESS then a map (or nothing); any other status is the matching error. */
export function responseMap(response: Buffer, operation: string): Map<unknown, unknown> {
  if (response.length === 0) throw new KeyError('protocol', `The key sent an empty answer to ${operation}.`);
  const status = response[0]!;
  if (status !== Ctap2Status.SUCCESS) throw ctapStatusError(status, operation);
  if (response.length === 1) return new Map();
  const body = decodeCanonical(response, 1);
  // The error's text is built only when it is needed.
  return body instanceof Map ? body : asMap(body, `${operation} response`);
}

export async function getInfo(client: CtapHidClient, options: CallOptions = {}): Promise<AuthenticatorInfo> {
  const map = responseMap(await send(client, Ctap2Cmd.GET_INFO, null, { timeoutMs: 5000, ...options }), 'getInfo');
  const versions = map.get(0x01);
  if (!Array.isArray(versions) || !versions.every((v) => typeof v === 'string'))
    throw new KeyError('protocol', 'getInfo: versions missing');
  const aaguid = getBytes(map, 0x03, 'getInfo aaguid');
  if (aaguid.length !== 16) throw new KeyError('protocol', 'getInfo: aaguid is not 16 bytes');
  const options4 = map.get(0x04);
  const opts: Record<string, boolean> = {};
  if (options4 instanceof Map)
    for (const [k, v] of options4) if (typeof k === 'string' && typeof v === 'boolean') opts[k] = v;
  const protocols = map.get(0x06);
  const pinUvAuthProtocols = Array.isArray(protocols)
    ? protocols.filter((v): v is number => typeof v === 'number')
    : [];
  const info: AuthenticatorInfo = {
    versions: versions as string[],
    aaguid: aaguid.toString('hex'),
    options: opts,
    pinUvAuthProtocols,
  };
  const maxInList = map.get(0x07);
  if (typeof maxInList === 'number') info.maxCredentialCountInList = maxInList;
  const maxMsgSize = map.get(0x05);
  if (typeof maxMsgSize === 'number') info.maxMsgSize = maxMsgSize;
  const firmware = map.get(0x0e);
  if (typeof firmware === 'number') info.firmwareVersion = firmware;
  return info;
}

function descriptors(ids: Buffer[]): Array<{ id: Buffer; type: string }> {
  return ids.map((id) => ({ id, type: 'public-key' }));
}

/** Non-discoverable ES256 credential (rk false), brief §4.3. */
export async function makeCredential(
  client: CtapHidClient,
  req: MakeCredentialRequest,
  options: CallOptions = {},
): Promise<MakeCredentialResponse> {
  if (req.clientDataHash.length !== 32) throw new KeyError('invalid-input', 'clientDataHash must be 32 bytes');
  const params = new Map<number, unknown>([
    [0x01, req.clientDataHash],
    [0x02, req.rp],
    [0x03, req.user],
    [0x04, [{ alg: -7, type: 'public-key' }]],
  ]);
  if (req.excludeCredentialIds?.length) params.set(0x05, descriptors(req.excludeCredentialIds));
  params.set(0x07, { rk: false });
  if (req.pinUvAuth) params.set(0x08, req.pinUvAuth.param).set(0x09, req.pinUvAuth.protocol);
  const map = responseMap(await send(client, Ctap2Cmd.MAKE_CREDENTIAL, params, options), 'enrolment');
  const fmt = getText(map, 0x01, 'makeCredential fmt');
  const authData = getBytes(map, 0x02, 'makeCredential authData');
  const attStmt = asMap(map.get(0x03), 'makeCredential attStmt');
  return { fmt, authData, attStmt };
}

export async function getAssertion(
  client: CtapHidClient,
  req: GetAssertionRequest,
  options: CallOptions = NO_OPTIONS,
): Promise<GetAssertionResponse> {
  if (req.clientDataHash.length !== 32) throw new KeyError('invalid-input', 'clientDataHash must be 32 bytes');
  if (req.allowCredentialIds.length === 0)
    throw new KeyError('invalid-input', 'at least one enrolled credential is needed');
  // Built with set(): the Map([[k, v], ...]) form allocates an array per entry.
  const params = new Map<number, unknown>()
    .set(0x01, req.rpId)
    .set(0x02, req.clientDataHash)
    .set(0x03, descriptors(req.allowCredentialIds));
  if (req.userPresence === false) params.set(0x05, { up: false });
  if (req.pinUvAuth) params.set(0x06, req.pinUvAuth.param).set(0x07, req.pinUvAuth.protocol);
  const map = responseMap(await send(client, Ctap2Cmd.GET_ASSERTION, params, options), 'signature');
  let credentialId: Buffer | undefined;
  if (map.has(0x01))
    credentialId = getBytes(asMap(map.get(0x01), 'getAssertion credential'), 'id', 'getAssertion credential id');
  return {
    credentialId,
    authData: getBytes(map, 0x02, 'getAssertion authData'),
    signature: getBytes(map, 0x03, 'getAssertion signature'),
  };
}
