import { createHash, randomBytes } from 'node:crypto';
import { canonicalize } from '../../src-shared/canonical-json';
import type { AttestationStatement, EnrolledKey } from '../../src-shared/journal/types';
import { parseAuthenticatorData, buildAttestedAuthData, Flag } from '../webauthn/authenticator-data';
import { forget, authParam, type PinUvToken } from './ctap/client-pin';
import { coseToPublicKey, rawP256ToCose } from '../webauthn/cose-key';
import { getAssertion, getInfo, makeCredential, type AuthenticatorInfo } from './ctap/ctap2';
import { KeepaliveStatus } from './transport/ctaphid-constants';
import { CtapHidClient, type CallOptions } from './transport/ctaphid-client';
import { systemClock, type KeyClock } from './key-clock';
import { asKeyError, KeyError } from '../webauthn/key-error';
import { deviceIdentity, foreignKeyStatus, identify, type KeyStatus } from './key-status';
import type { FidoDeviceInfo, KeyDiscovery } from './transport/transport';
import { u2fAuthenticate, u2fKnowsHandle, u2fRegister } from './ctap/u2f';
import { checkOwnAttestation, statementOf } from '../webauthn/attestation/own-attestation';
import { prepareUserVerification, type AskPin, type KeyOperation } from './ctap/user-verification';
import { verifyAssertion } from '../webauthn/verify-assertion';

export type { AskPin, KeyOperation, PinRequest } from './ctap/user-verification';

/** The host's deadline for a touch: then CTAPHID_CANCEL, "not touched". The prompt counts down from it. */
export const TOUCH_TIMEOUT_MS = 30_000;

/** For the UI: "Touch your key" until touch-done, with the transport's deadline (service clock) and the time left. */
export type KeyEvent =
  | { type: 'touch-needed'; operation: KeyOperation; deadline: number; timeoutMs: number }
  | { type: 'touch-done'; operation: KeyOperation; ok: boolean };

export type { KeyStatus } from './key-status';

export interface TapResult {
  /** base64url */
  credential_id: string;
  /** base64 */
  authenticator_data: string;
  /** base64, DER ECDSA */
  signature: string;
  sign_count: number;
  /** The UV flag of the signed authenticator data: the key checked its PIN or fingerprint. */
  user_verified: boolean;
}

export interface KeyServiceOptions {
  discover: KeyDiscovery;
  rpId: string;
  onEvent?: (event: KeyEvent) => void;
  clock?: KeyClock;
  /** How often onChange polls for plugged/unplugged keys. Default 500 ms. */
  pollIntervalMs?: number;
  /** Host deadline for a touch; then CANCEL and 'not-touched'. Default TOUCH_TIMEOUT_MS. */
  touchTimeoutMs?: number;
  /**
   * The highest signature counter already recorded for a key (recorded-sign-count.ts), so that a
   * counter going back is caught across restarts; without it only this service's own taps count.
   */
  recordedSignCount?: (key: EnrolledKey) => number | undefined;
  /** Asks the operator for the key's PIN when the key or the configuration needs it (user-verification.ts). */
  askPin?: AskPin;
  /** Every enrolment and tap must verify the user (PIN or fingerprint): `keys.require_user_verification`. */
  requireUserVerification?: boolean;
}

export interface KeyService {
  status(): Promise<KeyStatus>;
  /** Calls `listener` with the current status, then on every plug/unplug. Returns unsubscribe. */
  onChange(listener: (status: KeyStatus) => void): () => void;
  enrol(request: {
    operator: string;
    label: 'primary' | 'backup';
    excludeCredentialIds?: string[];
  }): Promise<EnrolledKey>;
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

export function createKeyService(options: KeyServiceOptions): KeyService {
  const clock = options.clock ?? systemClock;
  const pollMs = options.pollIntervalMs ?? 500;
  const touchTimeoutMs = options.touchTimeoutMs ?? TOUCH_TIMEOUT_MS;
  const requireUv = options.requireUserVerification === true;
  if (!options.rpId) throw new KeyError('invalid-input', 'The key service needs an RP ID.');
  const identities = new Map<string, KeyStatus>();
  const listeners = new Set<(status: KeyStatus) => void>();
  const lastSignCount = new Map<string, number>();
  let current: AbortController | null = null;
  let pollTimer: unknown = null;
  let lastSeen: string | null = null;
  let closed = false;

  /** GetInfo, then the PIN/fingerprint token when the key or the configuration needs one, before any touch. */
  async function verification(
    client: CtapHidClient,
    call: CallOptions,
    operation: KeyOperation,
    allowCount: number,
  ): Promise<PinUvToken | null> {
    const info: AuthenticatorInfo = await getInfo(client, call);
    return prepareUserVerification(client, info, {
      operation,
      rpId: options.rpId,
      requireUv: requireUv,
      askPin: options.askPin,
      allowCount,
      call,
    });
  }

  function refuseU2fWhenUvRequired(): void {
    if (requireUv)
      throw new KeyError(
        'key-unusable',
        `This key speaks only U2F, which cannot verify its user, and the configuration requires user verification (keys.require_user_verification). Use a FIDO2 YubiKey. Nothing was signed.`,
      );
  }

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

  async function status(): Promise<KeyStatus> {
    let all: FidoDeviceInfo[];
    try {
      all = await listAllDevices();
    } catch (error) {
      const e = error as KeyError;
      return { present: false, error: e.message, errorCode: e.code };
    }
    const devices = all.filter((d) => !d.foreign);
    // Cached per physical key, not per path: a key swapped in on the same path is identified afresh.
    const present = new Set(devices.map(deviceIdentity));
    for (const identity of identities.keys()) if (!present.has(identity)) identities.delete(identity);
    const device = devices[0];
    if (!device) return foreignKeyStatus(all) ?? { present: false };
    const identity = deviceIdentity(device);
    const known = identities.get(identity);
    if (known) return known;
    const base: KeyStatus = {
      present: true,
      kind: device.kind,
      path: device.path,
      product: device.product,
      manufacturer: device.manufacturer,
    };
    // The key is in use: identifying it now would collide with the running transaction.
    if (current) return base;
    try {
      const identified = await identify(options.discover, device, clock, requireUv);
      identities.set(identity, identified);
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
      fingerprint = (await listAllDevices()).map(deviceIdentity).join('\n');
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

  /** Looks again now, not at the next poll: a transaction found the key gone. No timer: a poll is running. */
  function pollSoon(): void {
    if (closed || !pollTimer) return;
    clock.clearTimeout(pollTimer);
    pollTimer = clock.setTimeout(() => void poll(), 0);
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
  async function withKey<T>(
    operation: KeyOperation,
    signal: AbortSignal | undefined,
    run: (client: CtapHidClient, call: CallOptions) => Promise<T>,
  ): Promise<T> {
    if (closed) throw new KeyError('invalid-input', 'The key service is closed.');
    if (current) throw new KeyError('busy', 'Another key operation is in progress. Finish or cancel it first.');
    if (signal?.aborted)
      throw new KeyError('cancelled', `The ${operation === 'tap' ? 'signature' : 'enrolment'} was cancelled.`);
    const controller = new AbortController();
    current = controller;
    const relay = () => controller.abort();
    signal?.addEventListener('abort', relay, { once: true });
    let prompted = false;
    const call: CallOptions = {
      timeoutMs: touchTimeoutMs,
      signal: controller.signal,
      onKeepalive: (s, deadline) => {
        if (s === KeepaliveStatus.UPNEEDED && !prompted) {
          prompted = true;
          emit({ type: 'touch-needed', operation, deadline, timeoutMs: Math.max(0, deadline - clock.now()) });
        }
      },
    };
    let ok = false;
    try {
      const all = await listAllDevices();
      const devices = all.filter((d) => !d.foreign);
      if (devices.length === 0) {
        const foreign = foreignKeyStatus(all);
        throw foreign
          ? new KeyError('not-a-yubikey', foreign.error!)
          : new KeyError('no-key', 'No security key is plugged in. Insert the enrolled YubiKey and retry.');
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
    } catch (error) {
      if (error instanceof KeyError && error.code === 'unplugged') pollSoon();
      throw error;
    } finally {
      signal?.removeEventListener('abort', relay);
      current = null;
      if (prompted) emit({ type: 'touch-done', operation, ok });
    }
  }

  async function enrol(request: {
    operator: string;
    label: 'primary' | 'backup';
    excludeCredentialIds?: string[];
  }): Promise<EnrolledKey> {
    if (typeof request.operator !== 'string' || request.operator.trim() === '')
      throw new KeyError('invalid-input', 'operator is required to enrol a key');
    if (request.label !== 'primary' && request.label !== 'backup')
      throw new KeyError('invalid-input', 'label must be "primary" or "backup"');
    const exclude = (request.excludeCredentialIds ?? []).map((id) => Buffer.from(id, 'base64url'));
    const enrolledAt = new Date(clock.now()).toISOString();
    // The enrolment challenge names who, which slot and when, so the attestation is bound to it.
    const clientDataHash = sha256(
      canonicalize({
        purpose: 'breakglass-enrolment',
        rp_id: options.rpId,
        operator: request.operator,
        label: request.label,
        enrolled_at: enrolledAt,
        nonce: randomBytes(16).toString('hex'),
      }),
    );
    const rpIdHash = sha256(options.rpId);
    return withKey('enrol', undefined, async (client, call) => {
      let fmt: string;
      let authData: Buffer;
      let attStmt: AttestationStatement | null;
      if (client.supportsCbor) {
        const token = await verification(client, call, 'enrol', 0);
        let response;
        try {
          response = await makeCredential(
            client,
            {
              clientDataHash,
              rp: { id: options.rpId, name: 'Breakglass' },
              user: {
                id: sha256(`breakglass-operator:${request.operator}`).subarray(0, 16),
                name: request.operator,
                displayName: request.operator,
              },
              excludeCredentialIds: exclude,
              ...(token ? { pinUvAuth: authParam(token, clientDataHash) } : {}),
            },
            call,
          );
        } finally {
          forget(token);
        }
        fmt = response.fmt;
        authData = response.authData;
        attStmt = statementOf(response.attStmt);
      } else {
        refuseU2fWhenUvRequired();
        for (const id of exclude) {
          if (await u2fKnowsHandle(client, clientDataHash, rpIdHash, id))
            throw new KeyError('already-enrolled', 'This key is already enrolled. Use a different key for the backup.');
        }
        const registration = await u2fRegister(client, clientDataHash, rpIdHash, {
          ...call,
          clock,
          onTouchNeeded: (deadline) => call.onKeepalive?.(KeepaliveStatus.UPNEEDED, deadline),
        });
        const cose = rawP256ToCose(registration.publicKey);
        authData = buildAttestedAuthData(rpIdHash, Flag.UP, 0, {
          aaguid: Buffer.alloc(16),
          credentialId: registration.keyHandle,
          cosePublicKey: cose,
        });
        fmt = 'fido-u2f';
        attStmt = {
          sig: registration.signature.toString('base64'),
          x5c: [registration.certificate.toString('base64')],
        };
      }
      const parsed = parseAuthenticatorData(authData);
      if (!parsed.attested) throw new KeyError('protocol', 'The key created a credential but did not return it.');
      if (!parsed.rpIdHash.equals(rpIdHash))
        throw new KeyError('protocol', 'The key created a credential for another relying party.');
      if (!parsed.userPresent)
        throw new KeyError('not-touched', 'The key created a credential without a touch; refusing it.');
      if (requireUv && !parsed.userVerified)
        throw new KeyError(
          'pin-required',
          'The key created a credential without verifying its user (no UV flag), which the configuration requires; refusing it.',
        );
      coseToPublicKey(parsed.attested.cosePublicKey);
      checkOwnAttestation(
        fmt,
        attStmt,
        authData,
        clientDataHash,
        parsed.attested.credentialId,
        parsed.attested.cosePublicKey,
        rpIdHash,
      );
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

  async function tap(request: {
    clientDataHash: Buffer;
    allow: EnrolledKey[];
    signal?: AbortSignal;
  }): Promise<TapResult> {
    const { clientDataHash, allow } = request;
    if (!Buffer.isBuffer(clientDataHash) || clientDataHash.length !== 32)
      throw new KeyError('invalid-input', 'clientDataHash must be a 32-byte Buffer');
    if (!Array.isArray(allow) || allow.length === 0)
      throw new KeyError('invalid-input', 'No enrolled key to sign with: enrol a key first.');
    const rpId = allow[0]!.rp_id;
    if (allow.some((k) => k.rp_id !== rpId))
      throw new KeyError('invalid-input', 'The allowed keys belong to different relying parties.');
    const ids = allow.map((k) => Buffer.from(k.credential_id, 'base64url'));
    const rpIdHash = sha256(rpId);
    return withKey('tap', request.signal, async (client, call) => {
      let credentialId: Buffer;
      let authData: Buffer;
      let signature: Buffer;
      if (client.supportsCbor) {
        const token = await verification(client, call, 'tap', ids.length);
        let response;
        try {
          response = await getAssertion(
            client,
            {
              rpId,
              clientDataHash,
              allowCredentialIds: ids,
              ...(token ? { pinUvAuth: authParam(token, clientDataHash) } : {}),
            },
            call,
          );
        } finally {
          forget(token);
        }
        if (!response.credentialId && ids.length !== 1)
          throw new KeyError('protocol', 'The key did not say which credential signed.');
        credentialId = response.credentialId ?? ids[0]!;
        authData = response.authData;
        signature = response.signature;
      } else {
        refuseU2fWhenUvRequired();
        let known: Buffer | undefined;
        for (const id of ids) {
          if (await u2fKnowsHandle(client, clientDataHash, rpIdHash, id)) {
            known = id;
            break;
          }
        }
        if (!known)
          throw new KeyError(
            'wrong-key',
            'This is not an enrolled key: it holds none of the enrolled credentials. Use the enrolled primary or backup key.',
          );
        const signed = await u2fAuthenticate(client, clientDataHash, rpIdHash, known, {
          ...call,
          clock,
          onTouchNeeded: (deadline) => call.onKeepalive?.(KeepaliveStatus.UPNEEDED, deadline),
        });
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
        user_verified: false,
      };
      const verdict = verifyAssertion(key, { ...result, client_data_hash: clientDataHash.toString('hex') });
      if (!verdict.ok)
        throw new KeyError(
          'bad-signature',
          `The key's signature did not verify (${verdict.reason}). Nothing was recorded.`,
        );
      if (requireUv && !verdict.userVerified)
        throw new KeyError(
          'pin-required',
          'The key signed without verifying its user (no UV flag), which the configuration requires. Nothing was recorded.',
        );
      result.user_verified = verdict.userVerified;
      const previous = highest(lastSignCount.get(key.credential_id), options.recordedSignCount?.(key));
      if (previous !== undefined && (previous !== 0 || verdict.signCount !== 0) && verdict.signCount <= previous) {
        throw new KeyError(
          'counter-regression',
          `The key's signature counter went back from ${previous} to ${verdict.signCount}: it may be a cloned key. Nothing was recorded.`,
        );
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
