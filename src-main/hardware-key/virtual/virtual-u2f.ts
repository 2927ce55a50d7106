import { sign } from 'node:crypto';
import { Cmd, U2fAuthP1, U2fIns, U2fStatus } from '../transport/ctaphid-constants';
import type { VirtualCore } from './virtual-core';

/**
 * The virtual key's U2F layer (CTAP1 APDUs over CTAPHID_MSG): VERSION, REGISTER and
 * AUTHENTICATE, with U2F's own notion of presence (no keepalive: "6985" until the button).
 */
export class VirtualU2f {
  private presence = false;
  private touchTimer: unknown = null;

  constructor(private readonly core: VirtualCore) {}

  /** The button was pressed with no CTAP2 request waiting: the next U2F request may use it. */
  touch(): void {
    this.presence = true;
  }

  /** Pulled out: a press and a pending simulated press are lost. */
  unplug(): void {
    this.presence = false;
    if (this.touchTimer) this.core.clock.clearTimeout(this.touchTimer);
    this.touchTimer = null;
  }

  handle(cid: number, apdu: Buffer): void {
    const core = this.core;
    if (apdu.length < 7 || apdu[4] !== 0) return this.reply(cid, U2fStatus.WRONG_LENGTH);
    const ins = apdu[1]!;
    const p1 = apdu[2]!;
    const lc = apdu.readUInt16BE(5);
    if (apdu.length < 7 + lc) return this.reply(cid, U2fStatus.WRONG_LENGTH);
    const body = apdu.subarray(7, 7 + lc);
    if (ins === U2fIns.VERSION) return this.reply(cid, U2fStatus.OK, Buffer.from('U2F_V2'));
    if (ins === U2fIns.REGISTER) {
      if (body.length !== 64) return this.reply(cid, U2fStatus.WRONG_LENGTH);
      if (!this.consumePresence()) return this.reply(cid, U2fStatus.CONDITIONS_NOT_SATISFIED);
      const challenge = body.subarray(0, 32);
      const app = body.subarray(32, 64);
      const credential = core.vault.create(Buffer.from(app));
      const jwk = credential.publicKey.export({ format: 'jwk' });
      const point = Buffer.concat([
        Buffer.from([0x04]),
        Buffer.from(jwk.x!, 'base64url'),
        Buffer.from(jwk.y!, 'base64url'),
      ]);
      const handle = credential.credentialId;
      const signed = Buffer.concat([Buffer.from([0x00]), app, challenge, handle, point]);
      const attestation = core.state.attestation;
      const sig = sign('sha256', signed, attestation.privateKey);
      return this.reply(
        cid,
        U2fStatus.OK,
        Buffer.concat([Buffer.from([0x05]), point, Buffer.from([handle.length]), handle, attestation.certificate, sig]),
      );
    }
    if (ins === U2fIns.AUTHENTICATE) {
      if (body.length < 65 || body.length !== 65 + body[64]!) return this.reply(cid, U2fStatus.WRONG_LENGTH);
      const challenge = body.subarray(0, 32);
      const app = Buffer.from(body.subarray(32, 64));
      const key = core.faults.wrongKey ? null : core.vault.open(body.subarray(65), app);
      if (!key) return this.reply(cid, U2fStatus.WRONG_DATA);
      if (p1 === U2fAuthP1.CHECK_ONLY) return this.reply(cid, U2fStatus.CONDITIONS_NOT_SATISFIED);
      const enforce = p1 === U2fAuthP1.ENFORCE_UP_AND_SIGN;
      if (enforce && !this.consumePresence()) return this.reply(cid, U2fStatus.CONDITIONS_NOT_SATISFIED);
      const counter = Buffer.alloc(4);
      counter.writeUInt32BE(core.nextCount(), 0);
      const presence = Buffer.from([enforce ? 0x01 : 0x00]);
      const sig = sign('sha256', Buffer.concat([app, presence, counter, challenge]), key);
      return this.reply(cid, U2fStatus.OK, Buffer.concat([presence, counter, sig]));
    }
    return this.reply(cid, U2fStatus.INS_NOT_SUPPORTED);
  }

  private reply(cid: number, status: number, data: Buffer = Buffer.alloc(0)): void {
    const sw = Buffer.alloc(2);
    sw.writeUInt16BE(status, 0);
    this.core.reply(cid, Cmd.MSG, Buffer.concat([data, sw]));
  }

  /** U2F has no keepalive: "6985" until the button was pressed, then the press is used up. */
  private consumePresence(): boolean {
    const core = this.core;
    if (core.faults.unplugMidTransaction) {
      core.faults.unplugMidTransaction = undefined;
      core.clock.setTimeout(() => core.unplug(), 20);
      return false;
    }
    if (core.faults.noTouch) return false;
    if (core.touchDelayMs === 0 || this.presence) {
      this.presence = false;
      return true;
    }
    if (!this.touchTimer && core.touchDelayMs !== null) {
      this.touchTimer = core.clock.setTimeout(() => {
        this.touchTimer = null;
        this.presence = true;
      }, core.touchDelayMs);
    }
    return false;
  }
}
