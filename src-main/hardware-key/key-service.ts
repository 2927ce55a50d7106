import { createHash, randomBytes, verify, X509Certificate } from 'node:crypto';
import { canonicalize } from '../../src-shared/canonical-json';
import type { AttestationStatement, EnrolledKey } from '../../src-shared/journal/types';
import { parseAuthenticatorData, buildAttestedAuthData, Flag } from './authenticator-data';
import { coseToPublicKey, coseToRawP256, rawP256ToCose } from './cose-key';
import { getAssertion, getInfo, makeCredential } from './ctap2';
import { KeepaliveStatus } from './ctaphid-constants';
import { CtapHidClient, type CallOptions } from './ctaphid-client';
import { systemClock, type KeyClock } from './key-clock';
import { asKeyError, KeyError, type KeyErrorCode } from './key-error';
import type { DeviceKind, FidoDeviceInfo, KeyDiscovery } from './transport';
import { u2fAuthenticate, u2fKnowsHandle, u2fRegister } from './u2f';
import { verifyAssertion } from './verify-assertion';

export type KeyOperation = 'enrol' | 'tap';

/** For the UI: show "Touch your key" on touch-needed, hide it on touch-done. */
export type KeyEvent = { type: 'touch-needed'; operation: KeyOperation } | { type: 'touch-done'; operation: KeyOperation; ok: boolean };

export interface KeyStatus {
  present: boolean;
  kind?: DeviceKind;
  path?: string;
  product?: string;
  manufacturer?: string;
  /** 32 hex chars, from getInfo (CTAP2 keys only). */
  aaguid?: string;
  /** major.minor.build from CTAPHID_INIT: the firmware on YubiKey 4/5. */
  firmware?: string;
  protocol?: 'ctap2' | 'u2f';
  versions?: string[];
  /** Why the key cannot be used (no HID access, did not answer ...). */
  error?: string;
  errorCode?: KeyErrorCode;
}

export interface TapResult {
  /** base64url */
  credential_id: string;
  /** base64 */
  authenticator_data: string;
  /** base64, DER ECDSA */
  signature: string;
  sign_count: number;
}

export interface KeyServiceOptions {
  discover: KeyDiscovery;
  rpId: string;
  onEvent?: (event: KeyEvent) => void;
  clock?: KeyClock;
  /** How often onChange polls for plugged/unplugged keys. Default 500 ms. */
  pollIntervalMs?: number;
  /** Host deadline for a touch; then CANCEL and 'not-touched'. Default 30 s. */
  touchTimeoutMs?: number;
  /**
   * The highest signature counter already recorded for a key (recorded-sign-count.ts), so that a
   * counter going back is caught across restarts; without it only this service's own taps count.
   */
  recordedSignCount?: (key: EnrolledKey) => number | undefined;
}

export interface KeyService {
  status(): Promise<KeyStatus>;
  /** Calls `listener` with the current status, then on every plug/unplug. Returns unsubscribe. */
  onChange(listener: (status: KeyStatus) => void): () => void;
  enrol(request: { operator: string; label: 'primary' | 'backup'; excludeCredentialIds?: string[] }): Promise<EnrolledKey>;
  tap(request: { clientDataHash: Buffer; allow: EnrolledKey[]; signal?: AbortSignal }): Promise<TapResult>;
  /** Cancels the enrol/tap in progress (the key answers "cancelled"). */
  cancel(): void;
  /** Stops polling and cancels anything in progress. */
  close(): void;
}

const sha256 = (data: string | Buffer): Buffer => createHash('sha256').update(data).digest();

function highest(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined ? b : b === undefined ? a : Math.max(a, b);
}

function version(v: [number, number, number]): string {
  return v.join('.');
}

export function createKeyService(options: KeyServiceOptions): KeyService {
  const clock = options.clock ?? systemClock;
  const pollMs = options.pollIntervalMs ?? 500;
  const touchTimeoutMs = options.touchTimeoutMs ?? 30_000;
  if (!options.rpId) throw new KeyError('invalid-input', 'The key service needs an RP ID.');
  const identities = new Map<string, KeyStatus>();
  const listeners = new Set<(status: KeyStatus) => void>();
  const lastSignCount = new Map<string, number>();
  let current: AbortController | null = null;
  let pollTimer: unknown = null;
  let lastSeen: string | null = null;
  let closed = false;

  const emit = (event: KeyEvent) => {
    try {
      options.onEvent?.(event);
    } catch {
      // A broken UI listener must not break a signature.
    }
  };

  /** Every FIDO device, another maker's included (polling notices those too). */
  async function listAllDevices(): Promise<FidoDeviceInfo[]> {
    try {
      return await options.discover.list();
    } catch (error) {
      throw asKeyError(error, 'no-hid-access', 'Cannot list security keys');
    }
  }

  /** Why no key is usable when only another maker's FIDO key is plugged in. */
  function foreignKeyStatus(all: readonly FidoDeviceInfo[]): KeyStatus | null {
    const foreign = all.find((d) => d.foreign);
    if (!foreign) return null;
    const name = foreign.product ?? foreign.manufacturer ?? 'a FIDO security key';
    return {
      present: false,
      errorCode: 'not-a-yubikey',
      error: `The key plugged in (${name}, USB vendor 0x${foreign.vendorId.toString(16).padStart(4, '0')}) is not a YubiKey. Breakglass signs steps with your enrolled YubiKey: plug that in.`,
    };
  }

  async function identify(device: FidoDeviceInfo): Promise<KeyStatus> {
    const base: KeyStatus = { present: true, kind: device.kind, path: device.path, product: device.product, manufacturer: device.manufacturer };
    const transport = await options.discover.open(device);
    const client = await CtapHidClient.open(transport, { clock });
    try {
      const status: KeyStatus = { ...base, firmware: version(client.info.deviceVersion), protocol: client.supportsCbor ? 'ctap2' : 'u2f' };
      if (client.supportsCbor) {
        const info = await getInfo(client);
        status.aaguid = info.aaguid;
        status.versions = info.versions;
      }
      return status;
    } finally {
      await client.close();
    }
  }

  async function status(): Promise<KeyStatus> {
    let all: FidoDeviceInfo[];
    try {
      all = await listAllDevices();
    } catch (error) {
      const e = error as KeyError;
      return { present: false, error: e.message, errorCode: e.code };
    }
    const devices = all.filter((d) => !d.foreign);
    for (const path of identities.keys()) if (!devices.some((d) => d.path === path)) identities.delete(path);
    const device = devices[0];
    if (!device) return foreignKeyStatus(all) ?? { present: false };
    const known = identities.get(device.path);
    if (known) return known;
    const base: KeyStatus = { present: true, kind: device.kind, path: device.path, product: device.product, manufacturer: device.manufacturer };
    // The key is in use: identifying it now would collide with the running transaction.
    if (current) return base;
    try {
      const identified = await identify(device);
      identities.set(device.path, identified);
      return identified;
    } catch (error) {
      const e = asKeyError(error, 'protocol', 'Cannot identify the key');
      return { ...base, error: e.message, errorCode: e.code };
    }
  }

  async function poll(): Promise<void> {
    pollTimer = null;
    if (closed || listeners.size === 0) return;
    let fingerprint: string;
    try {
      fingerprint = (await listAllDevices()).map((d) => d.path).join('\n');
    } catch (error) {
      fingerprint = `error:${(error as Error).message}`;
    }
    if (fingerprint !== lastSeen) {
      lastSeen = fingerprint;
      const now = await status();
      for (const listener of [...listeners]) {
        try {
          listener(now);
        } catch {
          // Listeners are UI code; their failures are theirs.
        }
      }
    }
    if (!closed && listeners.size > 0) pollTimer = clock.setTimeout(() => void poll(), pollMs);
  }

  function onChange(listener: (status: KeyStatus) => void): () => void {
    listeners.add(listener);
    if (listeners.size === 1 && !pollTimer && !closed) {
      lastSeen = null;
      pollTimer = clock.setTimeout(() => void poll(), 0);
    }
    return () => {
      listeners.delete(listener);
      if (listeners.size === 0 && pollTimer) {
        clock.clearTimeout(pollTimer);
        pollTimer = null;
      }
    };
  }

  /** Runs one operation on the first key that can do it; the next key is tried on 'wrong-key'. */
  async function withKey<T>(operation: KeyOperation, signal: AbortSignal | undefined, run: (client: CtapHidClient, call: CallOptions) => Promise<T>): Promise<T> {
    if (closed) throw new KeyError('invalid-input', 'The key service is closed.');
    if (current) throw new KeyError('busy', 'Another key operation is in progress. Finish or cancel it first.');
    if (signal?.aborted) throw new KeyError('cancelled', `The ${operation === 'tap' ? 'signature' : 'enrolment'} was cancelled.`);
    const controller = new AbortController();
    current = controller;
    const relay = () => controller.abort();
    signal?.addEventListener('abort', relay, { once: true });
    let prompted = false;
    const call: CallOptions = {
      timeoutMs: touchTimeoutMs,
      signal: controller.signal,
      onKeepalive: (s) => {
        if (s === KeepaliveStatus.UPNEEDED && !prompted) {
          prompted = true;
          emit({ type: 'touch-needed', operation });
        }
      },
    };
    let ok = false;
    try {
      const all = await listAllDevices();
      const devices = all.filter((d) => !d.foreign);
      if (devices.length === 0) {
        const foreign = foreignKeyStatus(all);
        throw foreign ? new KeyError('not-a-yubikey', foreign.error!) : new KeyError('no-key', 'No security key is plugged in. Insert the enrolled YubiKey and retry.');
      }
      let wrongKey: KeyError | null = null;
      for (const device of devices) {
        let client: CtapHidClient;
        try {
          client = await CtapHidClient.open(await options.discover.open(device), { clock });
        } catch (error) {
          throw asKeyError(error, 'unplugged', `Cannot open the key at ${device.path}`);
        }
        try {
          const result = await run(client, call);
          ok = true;
          return result;
        } catch (error) {
          if (error instanceof KeyError && error.code === 'wrong-key') {
            wrongKey = error;
            continue;
          }
          throw asKeyError(error, 'protocol', 'The key failed');
        } finally {
          await client.close();
        }
      }
      throw wrongKey ?? new KeyError('no-key', 'No usable security key is plugged in.');
    } finally {
      signal?.removeEventListener('abort', relay);
      current = null;
      if (prompted) emit({ type: 'touch-done', operation, ok });
    }
  }

  async function enrol(request: { operator: string; label: 'primary' | 'backup'; excludeCredentialIds?: string[] }): Promise<EnrolledKey> {
    if (typeof request.operator !== 'string' || request.operator.trim() === '') throw new KeyError('invalid-input', 'operator is required to enrol a key');
    if (request.label !== 'primary' && request.label !== 'backup') throw new KeyError('invalid-input', 'label must be "primary" or "backup"');
    const exclude = (request.excludeCredentialIds ?? []).map((id) => Buffer.from(id, 'base64url'));
    const enrolledAt = new Date(clock.now()).toISOString();
    // The enrolment challenge names who, which slot and when, so the attestation is bound to it.
    const clientDataHash = sha256(canonicalize({ purpose: 'breakglass-enrolment', rp_id: options.rpId, operator: request.operator, label: request.label, enrolled_at: enrolledAt, nonce: randomBytes(16).toString('hex') }));
    const rpIdHash = sha256(options.rpId);
    return withKey('enrol', undefined, async (client, call) => {
      let fmt: string;
      let authData: Buffer;
      let attStmt: AttestationStatement | null;
      if (client.supportsCbor) {
        const response = await makeCredential(client, {
          clientDataHash,
          rp: { id: options.rpId, name: 'Breakglass' },
          user: { id: sha256(`breakglass-operator:${request.operator}`).subarray(0, 16), name: request.operator, displayName: request.operator },
          excludeCredentialIds: exclude,
        }, call);
        fmt = response.fmt;
        authData = response.authData;
        attStmt = statementOf(response.attStmt);
      } else {
        for (const id of exclude) {
          if (await u2fKnowsHandle(client, clientDataHash, rpIdHash, id)) throw new KeyError('already-enrolled', 'This key is already enrolled. Use a different key for the backup.');
        }
        const registration = await u2fRegister(client, clientDataHash, rpIdHash, { ...call, clock, onTouchNeeded: () => call.onKeepalive?.(KeepaliveStatus.UPNEEDED) });
        const cose = rawP256ToCose(registration.publicKey);
        authData = buildAttestedAuthData(rpIdHash, Flag.UP, 0, { aaguid: Buffer.alloc(16), credentialId: registration.keyHandle, cosePublicKey: cose });
        fmt = 'fido-u2f';
        attStmt = { sig: registration.signature.toString('base64'), x5c: [registration.certificate.toString('base64')] };
      }
      const parsed = parseAuthenticatorData(authData);
      if (!parsed.attested) throw new KeyError('protocol', 'The key created a credential but did not return it.');
      if (!parsed.rpIdHash.equals(rpIdHash)) throw new KeyError('protocol', 'The key created a credential for another relying party.');
      if (!parsed.userPresent) throw new KeyError('not-touched', 'The key created a credential without a touch; refusing it.');
      coseToPublicKey(parsed.attested.cosePublicKey);
      checkOwnAttestation(fmt, attStmt, authData, clientDataHash, parsed.attested.credentialId, parsed.attested.cosePublicKey, rpIdHash);
      return {
        credential_id: parsed.attested.credentialId.toString('base64url'),
        operator: request.operator,
        label: request.label,
        rp_id: options.rpId,
        cose_public_key: parsed.attested.cosePublicKey.toString('base64'),
        aaguid: parsed.attested.aaguid.toString('hex'),
        fmt,
        att_stmt: attStmt,
        enrolment_authenticator_data: authData.toString('base64'),
        enrolment_client_data_hash: clientDataHash.toString('hex'),
        enrolled_at: enrolledAt,
      };
    });
  }

  async function tap(request: { clientDataHash: Buffer; allow: EnrolledKey[]; signal?: AbortSignal }): Promise<TapResult> {
    const { clientDataHash, allow } = request;
    if (!Buffer.isBuffer(clientDataHash) || clientDataHash.length !== 32) throw new KeyError('invalid-input', 'clientDataHash must be a 32-byte Buffer');
    if (!Array.isArray(allow) || allow.length === 0) throw new KeyError('invalid-input', 'No enrolled key to sign with: enrol a key first.');
    const rpId = allow[0]!.rp_id;
    if (allow.some((k) => k.rp_id !== rpId)) throw new KeyError('invalid-input', 'The allowed keys belong to different relying parties.');
    const ids = allow.map((k) => Buffer.from(k.credential_id, 'base64url'));
    const rpIdHash = sha256(rpId);
    return withKey('tap', request.signal, async (client, call) => {
      let credentialId: Buffer;
      let authData: Buffer;
      let signature: Buffer;
      if (client.supportsCbor) {
        const response = await getAssertion(client, { rpId, clientDataHash, allowCredentialIds: ids }, call);
        if (!response.credentialId && ids.length !== 1) throw new KeyError('protocol', 'The key did not say which credential signed.');
        credentialId = response.credentialId ?? ids[0]!;
        authData = response.authData;
        signature = response.signature;
      } else {
        let known: Buffer | undefined;
        for (const id of ids) {
          if (await u2fKnowsHandle(client, clientDataHash, rpIdHash, id)) {
            known = id;
            break;
          }
        }
        if (!known) throw new KeyError('wrong-key', 'This is not an enrolled key: it holds none of the enrolled credentials. Use the enrolled primary or backup key.');
        const signed = await u2fAuthenticate(client, clientDataHash, rpIdHash, known, { ...call, clock, onTouchNeeded: () => call.onKeepalive?.(KeepaliveStatus.UPNEEDED) });
        credentialId = known;
        authData = signed.authData;
        signature = signed.signature;
      }
      const key = allow.find((k) => Buffer.from(k.credential_id, 'base64url').equals(credentialId));
      if (!key) throw new KeyError('protocol', 'The key signed with a credential that was not asked for.');
      const result: TapResult = {
        credential_id: key.credential_id,
        authenticator_data: authData.toString('base64'),
        signature: signature.toString('base64'),
        sign_count: 0,
      };
      const verdict = verifyAssertion(key, { ...result, client_data_hash: clientDataHash.toString('hex') });
      if (!verdict.ok) throw new KeyError('bad-signature', `The key's signature did not verify (${verdict.reason}). Nothing was recorded.`);
      const previous = highest(lastSignCount.get(key.credential_id), options.recordedSignCount?.(key));
      if (previous !== undefined && (previous !== 0 || verdict.signCount !== 0) && verdict.signCount <= previous) {
        throw new KeyError('counter-regression', `The key's signature counter went back from ${previous} to ${verdict.signCount}: it may be a cloned key. Nothing was recorded.`);
      }
      lastSignCount.set(key.credential_id, verdict.signCount);
      result.sign_count = verdict.signCount;
      return result;
    });
  }

  return {
    status,
    onChange,
    enrol,
    tap,
    cancel: () => current?.abort(),
    close() {
      closed = true;
      listeners.clear();
      if (pollTimer) clock.clearTimeout(pollTimer);
      pollTimer = null;
      current?.abort();
    },
  };
}

function statementOf(map: Map<unknown, unknown>): AttestationStatement | null {
  if (map.size === 0) return null;
  const out: AttestationStatement = {};
  const alg = map.get('alg');
  if (typeof alg === 'number') out.alg = alg;
  const sig = map.get('sig');
  if (sig instanceof Uint8Array) out.sig = Buffer.from(sig).toString('base64');
  const x5c = map.get('x5c');
  if (Array.isArray(x5c)) out.x5c = x5c.filter((c): c is Uint8Array => c instanceof Uint8Array).map((c) => Buffer.from(c).toString('base64'));
  return out;
}

/**
 * A key whose own attestation does not verify is broken or lying: refuse it at enrolment rather
 * than discover it in a review. (Whether it is a genuine YubiKey is describeAuthenticator's job.)
 */
function checkOwnAttestation(fmt: string, stmt: AttestationStatement | null, authData: Buffer, cdh: Buffer, credentialId: Buffer, cose: Buffer, rpIdHash: Buffer): void {
  if (fmt === 'none' || !stmt?.sig) return;
  const sig = Buffer.from(stmt.sig, 'base64');
  const signer = stmt.x5c?.[0] ? new X509Certificate(Buffer.from(stmt.x5c[0], 'base64')).publicKey : coseToPublicKey(cose);
  const data = fmt === 'fido-u2f'
    ? Buffer.concat([Buffer.from([0x00]), rpIdHash, cdh, credentialId, coseToRawP256(cose)])
    : Buffer.concat([authData, cdh]);
  if (!verify('sha256', data, { key: signer, dsaEncoding: 'der' }, sig)) {
    throw new KeyError('protocol', 'The key\'s attestation signature does not verify; refusing to enrol it.');
  }
}
