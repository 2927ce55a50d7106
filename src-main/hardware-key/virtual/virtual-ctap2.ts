import { createHash, sign, type KeyObject } from 'node:crypto';
import { buildAssertionAuthData, buildAttestedAuthData, Flag } from '../../webauthn/authenticator-data';
import { encodeCtapMessage } from '../../webauthn/canonical-cbor';
import { asMap, decodeCanonical } from '../../webauthn/canonical-cbor-decode';
import { publicKeyToCose } from '../../webauthn/cose-key';
import { VIRTUAL_AAGUID } from '../../webauthn/virtual-marks';
import { Permission } from '../ctap/client-pin-constants';
import { Cmd, Ctap2Cmd, Ctap2Status } from '../transport/ctaphid-constants';
import type { VirtualCore } from './virtual-core';
import type { PinReply } from './virtual-client-pin';

/** The parameters of a CTAP2 command sent without any; only ever read. */
const NO_PARAMS = new Map<unknown, unknown>();

/**
 * The virtual key's CTAP2 layer (CTAPHID_CBOR): getInfo, makeCredential with packed
 * attestation, getAssertion and clientPIN, each answered as a YubiKey would (status codes,
 * touch, counters), plus the malformed-CBOR faults a drill can switch on.
 */
export class VirtualCtap2 {
  /** SHA-256 of recent RP IDs: the same few are hashed on every request. */
  private readonly rpIdHashes = new Map<string, Buffer>();

  constructor(private readonly core: VirtualCore) {}

  /** The status byte, then the CBOR body (broken once when a malformed fault is on). */
  reply(cid: number, status: number, body?: Map<unknown, unknown>): void {
    let message = encodeCtapMessage(status, body ?? null);
    const faults = this.core.faults;
    const fault = faults.malformed;
    if (body && fault && fault !== 'bad-seq') {
      faults.malformed = undefined;
      const cbor = message.subarray(1);
      if (fault === 'non-canonical')
        message = Buffer.concat([Buffer.from([status, 0xb8, cbor[0]! & 0x1f]), cbor.subarray(1)]);
      if (fault === 'truncated-cbor') message = message.subarray(0, message.length - 5);
      if (fault === 'trailing-bytes') message = Buffer.concat([message, Buffer.from([0x00])]);
    }
    this.core.reply(cid, Cmd.CBOR, message);
  }

  handle(cid: number, data: Buffer): void {
    if (data.length === 0) {
      this.reply(cid, Ctap2Status.INVALID_LENGTH);
      return;
    }
    let params = NO_PARAMS;
    if (data.length > 1) {
      try {
        params = asMap(decodeCanonical(data, 1), 'request');
      } catch {
        this.reply(cid, Ctap2Status.INVALID_CBOR);
        return;
      }
    }
    switch (data[0]) {
      case Ctap2Cmd.GET_INFO:
        this.reply(cid, Ctap2Status.SUCCESS, this.getInfo());
        return;
      case Ctap2Cmd.MAKE_CREDENTIAL:
        this.makeCredential(cid, params);
        return;
      case Ctap2Cmd.GET_ASSERTION:
        this.getAssertion(cid, params);
        return;
      case Ctap2Cmd.CLIENT_PIN:
        this.clientPinCommand(cid, this.core.clientPin.command(params));
        return;
      default:
        this.reply(cid, Ctap2Status.INVALID_COMMAND);
    }
  }

  private getInfo(): Map<unknown, unknown> {
    const version = this.core.version;
    const clientPin = this.core.clientPin;
    return new Map<unknown, unknown>([
      [0x01, ['FIDO_2_0', 'FIDO_2_1', 'U2F_V2']],
      [0x03, VIRTUAL_AAGUID],
      [0x04, new Map<string, boolean>([['rk', false], ['up', true], ['plat', false], ...clientPin.infoOptions()])],
      [0x05, 1200],
      [0x06, clientPin.protocols],
      [0x07, 8],
      [
        0x0a,
        [
          new Map<string, unknown>([
            ['alg', -7],
            ['type', 'public-key'],
          ]),
        ],
      ],
      [0x0e, (version[0] << 16) | (version[1] << 8) | version[2]],
    ]);
  }

  private makeCredential(cid: number, p: Map<unknown, unknown>): void {
    const core = this.core;
    const cdh = p.get(0x01);
    const rp = p.get(0x02);
    const user = p.get(0x03);
    const algs = p.get(0x04);
    if (!(cdh instanceof Uint8Array) || !(rp instanceof Map) || !(user instanceof Map) || !Array.isArray(algs)) {
      this.reply(cid, Ctap2Status.MISSING_PARAMETER);
      return;
    }
    const rpId = rp.get('id');
    if (cdh.length !== 32 || typeof rpId !== 'string' || !(user.get('id') instanceof Uint8Array)) {
      this.reply(cid, Ctap2Status.INVALID_PARAMETER);
      return;
    }
    if (!algs.some((a) => a instanceof Map && a.get('alg') === -7 && a.get('type') === 'public-key')) {
      this.reply(cid, Ctap2Status.UNSUPPORTED_ALGORITHM);
      return;
    }
    const opts = p.get(0x07);
    if (opts instanceof Map && opts.get('rk') === true) return this.reply(cid, Ctap2Status.UNSUPPORTED_OPTION);
    if (opts instanceof Map && opts.get('up') === false) return this.reply(cid, Ctap2Status.INVALID_OPTION);
    if (core.faults.pinRequired) return this.reply(cid, Ctap2Status.PUAT_REQUIRED);
    const uv = core.clientPin.authorize(p, 0x08, 0x09, cdh, Permission.MC, rpId);
    if (uv.status !== 0 || !('uv' in uv)) return this.reply(cid, uv.status);
    const rpIdHash = this.rpIdHash(rpId);
    const exclude = p.get(0x05);
    const excluded =
      Array.isArray(exclude) &&
      exclude.some(
        (d) =>
          d instanceof Map &&
          d.get('id') instanceof Uint8Array &&
          core.vault.open(d.get('id') as Uint8Array, rpIdHash) !== null,
      );
    core.waitForTouch(cid, () => {
      if (excluded) return this.reply(cid, Ctap2Status.CREDENTIAL_EXCLUDED);
      const credential = core.vault.create(rpIdHash);
      const count = core.nextCount();
      const authData = buildAttestedAuthData(rpIdHash, Flag.UP | (uv.uv ? Flag.UV : 0), count, {
        aaguid: VIRTUAL_AAGUID,
        credentialId: credential.credentialId,
        cosePublicKey: publicKeyToCose(credential.publicKey),
      });
      const attestation = core.state.attestation;
      const sig = sign('sha256', Buffer.concat([authData, cdh]), attestation.privateKey);
      const attStmt = new Map<string, unknown>([
        ['alg', -7],
        ['sig', sig],
        ['x5c', [attestation.certificate]],
      ]);
      this.reply(
        cid,
        Ctap2Status.SUCCESS,
        new Map<unknown, unknown>([
          [0x01, 'packed'],
          [0x02, authData],
          [0x03, attStmt],
        ]),
      );
    });
  }

  private getAssertion(cid: number, p: Map<unknown, unknown>): void {
    const core = this.core;
    const rpId = p.get(0x01);
    const cdh = p.get(0x02);
    if (typeof rpId !== 'string' || !(cdh instanceof Uint8Array)) return this.reply(cid, Ctap2Status.MISSING_PARAMETER);
    if (cdh.length !== 32) return this.reply(cid, Ctap2Status.INVALID_PARAMETER);
    const opts = p.get(0x05);
    if (opts instanceof Map && (opts.has('rk') || opts.get('uv') === true))
      return this.reply(cid, Ctap2Status.UNSUPPORTED_OPTION);
    if (core.faults.pinRequired) return this.reply(cid, Ctap2Status.PUAT_REQUIRED);
    const checked = core.clientPin.authorize(p, 0x06, 0x07, cdh, Permission.GA, rpId);
    if (checked.status !== 0 || !('uv' in checked)) return this.reply(cid, checked.status);
    const flags = (checked.uv ? Flag.UV : 0) | (opts instanceof Map && opts.get('up') === false ? 0 : Flag.UP);
    const up = (flags & Flag.UP) !== 0;
    const rpIdHash = this.rpIdHash(rpId);
    const allow = p.get(0x03);
    let credentialId: Uint8Array | null = null;
    let key = null;
    if (Array.isArray(allow) && !core.faults.wrongKey) {
      for (const descriptor of allow) {
        const id = descriptor instanceof Map ? descriptor.get('id') : undefined;
        if (!(id instanceof Uint8Array)) continue;
        key = core.vault.open(id, rpIdHash);
        if (key) {
          credentialId = id;
          break;
        }
      }
    }
    if (!key || !credentialId) return this.reply(cid, Ctap2Status.NO_CREDENTIALS);
    const privateKey = key;
    const id = credentialId;
    // Without a touch to wait for, answer straight away rather than through a callback.
    // A token from the fingerprint sensor already carries the presence (CTAP 2.1 §6.2.2 step 9).
    if (!up || checked.presenceDone || core.touchIsImmediate())
      this.assertion(cid, rpIdHash, flags, cdh, privateKey, id);
    else core.waitForTouch(cid, () => this.assertion(cid, rpIdHash, flags, cdh, privateKey, id));
  }

  /** A clientPIN answer, after the finger on the sensor (the touch) when built-in UV asked for it. */
  private clientPinCommand(cid: number, reply: PinReply): void {
    if ('status' in reply) return this.reply(cid, reply.status, reply.body);
    this.core.waitForTouch(cid, () => {
      const done = reply.touch();
      this.reply(cid, done.status, done.body);
    });
  }

  private assertion(
    cid: number,
    rpIdHash: Buffer,
    flags: number,
    cdh: Uint8Array,
    privateKey: KeyObject,
    credentialId: Uint8Array,
  ): void {
    const authData = buildAssertionAuthData(rpIdHash, flags, this.core.nextCount());
    const sig = sign('sha256', Buffer.concat([authData, cdh]), privateKey);
    // The credential as a plain object: the same CBOR as a text-keyed Map, for less.
    const response = new Map<unknown, unknown>()
      .set(0x01, { id: credentialId, type: 'public-key' })
      .set(0x02, authData)
      .set(0x03, sig);
    this.reply(cid, Ctap2Status.SUCCESS, response);
  }

  private rpIdHash(rpId: string): Buffer {
    let hash = this.rpIdHashes.get(rpId);
    if (!hash) {
      if (this.rpIdHashes.size >= 64) this.rpIdHashes.clear();
      hash = createHash('sha256').update(rpId, 'utf8').digest();
      this.rpIdHashes.set(rpId, hash);
    }
    return hash;
  }
}
