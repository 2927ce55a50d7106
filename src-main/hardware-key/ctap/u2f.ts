import { U2fAuthP1, U2fIns, U2fStatus } from '../transport/ctaphid-constants';
import type { CallOptions, CtapHidClient } from '../transport/ctaphid-client';
import { delay, type KeyClock } from '../key-clock';
import { KeyError } from '../../webauthn/key-error';

/** Extended-length APDU: CLA INS P1 P2 00 Lc(2) DATA Le(2) (brief §5). */
export function encodeApdu(ins: number, p1: number, data: Uint8Array): Buffer {
  const header = Buffer.from([0x00, ins, p1, 0x00, 0x00, (data.length >> 8) & 0xff, data.length & 0xff]);
  return Buffer.concat([header, data, Buffer.from([0x00, 0x00])]);
}

export function splitApduResponse(response: Buffer): { data: Buffer; status: number } {
  if (response.length < 2) throw new KeyError('protocol', 'The key sent a U2F answer without a status word.');
  return { data: response.subarray(0, response.length - 2), status: response.readUInt16BE(response.length - 2) };
}

/** Length of the DER element at `offset` (the attestation certificate inside a U2F registration). */
export function derElementLength(bytes: Buffer, offset: number): number {
  if (offset + 2 > bytes.length || bytes[offset] !== 0x30)
    throw new KeyError('protocol', 'U2F registration: attestation certificate is not DER');
  const first = bytes[offset + 1]!;
  if (first < 0x80) return 2 + first;
  const count = first & 0x7f;
  if (count === 0 || count > 3 || offset + 2 + count > bytes.length)
    throw new KeyError('protocol', 'U2F registration: bad certificate length');
  let length = 0;
  for (let i = 0; i < count; i++) length = length * 256 + bytes[offset + 2 + i]!;
  return 2 + count + length;
}

export interface U2fRegistration {
  publicKey: Buffer;
  keyHandle: Buffer;
  certificate: Buffer;
  signature: Buffer;
}

export function parseRegistration(data: Buffer): U2fRegistration {
  if (data.length < 1 + 65 + 1 || data[0] !== 0x05)
    throw new KeyError('protocol', 'U2F registration: reserved byte is not 0x05');
  const publicKey = data.subarray(1, 66);
  const handleLength = data[66]!;
  const certStart = 67 + handleLength;
  if (handleLength === 0 || certStart > data.length)
    throw new KeyError('protocol', 'U2F registration: key handle truncated');
  const certLength = derElementLength(data, certStart);
  if (certStart + certLength >= data.length)
    throw new KeyError('protocol', 'U2F registration: certificate or signature truncated');
  return {
    publicKey: Buffer.from(publicKey),
    keyHandle: Buffer.from(data.subarray(67, certStart)),
    certificate: Buffer.from(data.subarray(certStart, certStart + certLength)),
    signature: Buffer.from(data.subarray(certStart + certLength)),
  };
}

export interface U2fOptions extends CallOptions {
  clock: KeyClock;
  /** Called once, when the key first says it needs a touch (SW 6985), with the polling deadline. */
  onTouchNeeded?: (deadline: number) => void;
  pollMs?: number;
}

/**
 * U2F has no keepalive: the key answers 6985 until it is touched, so the request is repeated on a
 * timer (brief §5; python-fido2 polls every 250 ms, libfido2 every 100 ms).
 */
async function pollUntilTouched(
  client: CtapHidClient,
  apdu: Buffer,
  options: U2fOptions,
  operation: string,
): Promise<Buffer> {
  const deadline = options.clock.now() + (options.timeoutMs ?? 30_000);
  let prompted = false;
  for (;;) {
    if (options.signal?.aborted) throw new KeyError('cancelled', `The ${operation} was cancelled.`);
    const { data, status } = splitApduResponse(await client.msg(apdu, { timeoutMs: 5000, signal: options.signal }));
    if (status === U2fStatus.OK) return data;
    if (status === U2fStatus.WRONG_DATA)
      throw new KeyError(
        'wrong-key',
        'This is not an enrolled key: it does not recognise the enrolled credential. Use the enrolled primary or backup key.',
      );
    if (status !== U2fStatus.CONDITIONS_NOT_SATISFIED)
      throw new KeyError('protocol', `The key refused the U2F ${operation} (status ${status.toString(16)}).`);
    if (!prompted) {
      prompted = true;
      options.onTouchNeeded?.(deadline);
    }
    if (options.clock.now() >= deadline)
      throw new KeyError(
        'not-touched',
        `The key was not touched in time (${operation}). Nothing was signed; retry when ready.`,
      );
    await delay(options.clock, options.pollMs ?? 100);
  }
}

export async function u2fRegister(
  client: CtapHidClient,
  challengeParam: Buffer,
  appParam: Buffer,
  options: U2fOptions,
): Promise<U2fRegistration> {
  const data = await pollUntilTouched(
    client,
    encodeApdu(U2fIns.REGISTER, 0x00, Buffer.concat([challengeParam, appParam])),
    options,
    'enrolment',
  );
  return parseRegistration(data);
}

/** Check-only probe (P1 0x07): does this key know the handle? No touch needed (brief §5). */
export async function u2fKnowsHandle(
  client: CtapHidClient,
  challengeParam: Buffer,
  appParam: Buffer,
  keyHandle: Buffer,
): Promise<boolean> {
  if (keyHandle.length > 255) return false;
  const apdu = encodeApdu(
    U2fIns.AUTHENTICATE,
    U2fAuthP1.CHECK_ONLY,
    Buffer.concat([challengeParam, appParam, Buffer.from([keyHandle.length]), keyHandle]),
  );
  const { status } = splitApduResponse(await client.msg(apdu, { timeoutMs: 5000 }));
  if (status === U2fStatus.CONDITIONS_NOT_SATISFIED) return true;
  if (status === U2fStatus.WRONG_DATA || status === U2fStatus.WRONG_LENGTH) return false;
  throw new KeyError('protocol', `The key answered a U2F check with status ${status.toString(16)}.`);
}

/**
 * Signs with enforced user presence. The answer `UP ‖ counter ‖ sig` is turned into
 * authenticatorData `appParam ‖ UP ‖ counter`, so the CTAP2 verifier checks it unchanged.
 */
export async function u2fAuthenticate(
  client: CtapHidClient,
  challengeParam: Buffer,
  appParam: Buffer,
  keyHandle: Buffer,
  options: U2fOptions,
): Promise<{ authData: Buffer; signature: Buffer }> {
  const apdu = encodeApdu(
    U2fIns.AUTHENTICATE,
    U2fAuthP1.ENFORCE_UP_AND_SIGN,
    Buffer.concat([challengeParam, appParam, Buffer.from([keyHandle.length]), keyHandle]),
  );
  const data = await pollUntilTouched(client, apdu, options, 'signature');
  if (data.length < 5 + 8) throw new KeyError('protocol', 'U2F authentication answer is truncated');
  return { authData: Buffer.concat([appParam, data.subarray(0, 5)]), signature: Buffer.from(data.subarray(5)) };
}
