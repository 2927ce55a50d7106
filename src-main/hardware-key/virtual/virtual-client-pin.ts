import { createECDH, randomBytes, timingSafeEqual, type ECDH } from 'node:crypto';
import { Ctap2Status } from '../transport/ctaphid-constants';
import { coseToPoint, keyAgreementCose, pinHash, pinProtocol, type PinUvProtocol } from '../ctap/pin-protocol';
import { ClientPinSub, Permission } from '../ctap/client-pin-constants';

/**
 * The authenticator side of CTAP 2.1 authenticatorClientPIN (§6.5), so a drill can practise a
 * PIN-protected key or a YubiKey Bio, and python-fido2/libfido2 can be checked against it.
 * The virtual key keeps only LEFT(SHA-256(PIN), 16), as a real one does; nothing here is saved.
 */
export interface VirtualPinOptions {
  /** A PIN already set on the key (UTF-8); without it clientPin is false until setPIN. */
  pin?: string;
  /** Built-in user verification (a YubiKey Bio's fingerprint); the "finger" is the touch. */
  builtInUv?: boolean;
  /** The key refuses every makeCredential/getAssertion without UV (FIPS mode, policy). */
  alwaysUv?: boolean;
  /** makeCredUvNotRqd: non-discoverable credentials without UV even when a PIN is set (YubiKey default true). */
  makeCredUvNotRqd?: boolean;
  pinRetries?: number;
  uvRetries?: number;
  /** getInfo 0x06, in order of preference; [2, 1] unless set (a CTAP 2.0 key offers [1]). */
  protocols?: number[];
}

/** What the CBOR command handler does next: answer, or wait for the touch/finger then answer. */
export type PinReply =
  { status: number; body?: Map<unknown, unknown> } | { touch: () => { status: number; body?: Map<unknown, unknown> } };

/** The outcome of checking pinUvAuthParam on makeCredential/getAssertion. */
export type UvCheck = { status: number } | { status: 0; uv: boolean; presenceDone: boolean };

const MAX_PIN_RETRIES = 8;
const MAX_UV_RETRIES = 5;
/** Three wrong PINs in one power cycle block PIN entry until the key is replugged (§6.5.5.7). */
const WRONG_PER_POWER_CYCLE = 3;

interface Token {
  value: Buffer;
  permissions: number;
  rpId: string | null;
  /** Set when the token came from built-in UV: the finger on the sensor was the presence. */
  userPresent: boolean;
}

export class VirtualClientPin {
  private storedPinHash: Buffer | null;
  private pinRetries: number;
  private uvRetries: number;
  private wrongThisCycle = 0;
  private agreement: ECDH = createECDH('prime256v1');
  private token: Token | null = null;
  /** One-shot faults: the next fingerprint read does not match. */
  uvMismatch = 0;

  constructor(private readonly options: VirtualPinOptions = {}) {
    this.storedPinHash = options.pin === undefined ? null : pinHash(Buffer.from(options.pin, 'utf8'));
    this.pinRetries = options.pinRetries ?? MAX_PIN_RETRIES;
    this.uvRetries = options.uvRetries ?? MAX_UV_RETRIES;
    this.agreement.generateKeys();
  }

  get pinSet(): boolean {
    return this.storedPinHash !== null;
  }

  /** Unplugging resets the per-power-cycle counter, the key agreement key and the token. */
  powerCycle(): void {
    this.wrongThisCycle = 0;
    this.token = null;
    this.regenerate();
  }

  /** getInfo fields 0x04 (options) and 0x06 (pinUvAuthProtocols), YubiKey 5.7-like. */
  infoOptions(): Array<[string, boolean]> {
    const out: Array<[string, boolean]> = [
      ['clientPin', this.pinSet],
      ['pinUvAuthToken', true],
    ];
    if (this.options.builtInUv) out.push(['uv', true]);
    out.push(['makeCredUvNotRqd', this.options.makeCredUvNotRqd ?? !this.options.alwaysUv]);
    if (this.options.alwaysUv) out.push(['alwaysUv', true]);
    return out;
  }

  get protocols(): number[] {
    return this.options.protocols ?? [2, 1];
  }

  command(p: Map<unknown, unknown>): PinReply {
    const version = p.get(0x01) as number;
    const protocol = this.protocols.includes(version) ? pinProtocol(version) : null;
    const sub = p.get(0x02);
    if (typeof sub !== 'number') return { status: Ctap2Status.MISSING_PARAMETER };
    if (sub === ClientPinSub.GET_PIN_RETRIES)
      return {
        status: 0,
        body: new Map<unknown, unknown>([
          [0x03, this.pinRetries],
          [0x04, false],
        ]),
      };
    if (sub === ClientPinSub.GET_UV_RETRIES) return { status: 0, body: new Map([[0x05, this.uvRetries]]) };
    if (!protocol) return { status: p.has(0x01) ? Ctap2Status.INVALID_PARAMETER : Ctap2Status.MISSING_PARAMETER };
    if (sub === ClientPinSub.GET_KEY_AGREEMENT)
      return { status: 0, body: new Map([[0x01, keyAgreementCose(this.agreement.getPublicKey())]]) };
    let shared: Buffer;
    try {
      shared = protocol.kdf(this.agreement.computeSecret(coseToPoint(p.get(0x03))));
    } catch {
      return { status: p.has(0x03) ? Ctap2Status.INVALID_PARAMETER : Ctap2Status.MISSING_PARAMETER };
    }
    switch (sub) {
      case ClientPinSub.SET_PIN:
        return this.setPin(protocol, shared, p);
      case ClientPinSub.GET_PIN_TOKEN:
        return this.pinToken(protocol, shared, p, Permission.MC | Permission.GA, null);
      case ClientPinSub.GET_TOKEN_USING_PIN_WITH_PERMISSIONS:
      case ClientPinSub.GET_TOKEN_USING_UV_WITH_PERMISSIONS: {
        const permissions = p.get(0x09);
        if (typeof permissions !== 'number' || permissions === 0) return { status: Ctap2Status.MISSING_PARAMETER };
        // Only what this key can do: credential management, large blobs, config are not emulated.
        if (permissions & ~(Permission.MC | Permission.GA)) return { status: Ctap2Status.UNAUTHORIZED_PERMISSION };
        const rpId = typeof p.get(0x0a) === 'string' ? (p.get(0x0a) as string) : null;
        return sub === ClientPinSub.GET_TOKEN_USING_UV_WITH_PERMISSIONS
          ? this.uvToken(protocol, shared, permissions, rpId)
          : this.pinToken(protocol, shared, p, permissions, rpId);
      }
      default:
        return { status: Ctap2Status.INVALID_SUBCOMMAND };
    }
  }

  /**
   * makeCredential (0x08/0x09) and getAssertion (0x06/0x07): a pinUvAuthParam over the
   * clientDataHash with a token holding the permission means "user verified".
   */
  authorize(
    p: Map<unknown, unknown>,
    paramKey: number,
    protocolKey: number,
    cdh: Uint8Array,
    permission: number,
    rpId: string,
  ): UvCheck {
    const param = p.get(paramKey);
    if (param === undefined) {
      const uvConfigured = this.pinSet || !!this.options.builtInUv;
      const needsUv =
        this.options.alwaysUv ||
        (permission === Permission.MC && this.pinSet && this.options.makeCredUvNotRqd === false);
      if (needsUv) return { status: uvConfigured ? Ctap2Status.PUAT_REQUIRED : Ctap2Status.PIN_NOT_SET };
      return { status: 0, uv: false, presenceDone: false };
    }
    if (!(param instanceof Uint8Array)) return { status: Ctap2Status.INVALID_PARAMETER };
    const version = p.get(protocolKey) as number;
    const protocol = this.protocols.includes(version) ? pinProtocol(version) : null;
    if (!protocol)
      return { status: p.has(protocolKey) ? Ctap2Status.INVALID_PARAMETER : Ctap2Status.MISSING_PARAMETER };
    const token = this.token;
    if (!token || !protocol.verify(token.value, Buffer.from(cdh), Buffer.from(param)))
      return { status: Ctap2Status.PIN_AUTH_INVALID };
    if (!(token.permissions & permission) || (token.rpId !== null && token.rpId !== rpId))
      return { status: Ctap2Status.UNAUTHORIZED_PERMISSION };
    token.rpId = rpId;
    const presenceDone = token.userPresent;
    token.userPresent = false;
    // A credential made with the token uses up its makeCredential permission (§6.1.2 step 17).
    if (permission === Permission.MC) token.permissions &= ~Permission.MC;
    return { status: 0, uv: true, presenceDone };
  }

  private setPin(protocol: PinUvProtocol, shared: Buffer, p: Map<unknown, unknown>): PinReply {
    const param = p.get(0x04);
    const newPinEnc = p.get(0x05);
    if (!(param instanceof Uint8Array) || !(newPinEnc instanceof Uint8Array))
      return { status: Ctap2Status.MISSING_PARAMETER };
    if (this.pinSet) return { status: Ctap2Status.NOT_ALLOWED };
    if (!protocol.verify(shared, Buffer.from(newPinEnc), Buffer.from(param)))
      return { status: Ctap2Status.PIN_AUTH_INVALID };
    let padded: Buffer;
    try {
      padded = protocol.decrypt(shared, Buffer.from(newPinEnc));
    } catch {
      return { status: Ctap2Status.PIN_AUTH_INVALID };
    }
    if (padded.length < 64) return { status: Ctap2Status.PIN_POLICY_VIOLATION };
    const end = padded.indexOf(0);
    const pin = padded.subarray(0, end < 0 ? padded.length : end);
    if (Buffer.from(pin.toString('utf8'), 'utf8').length !== pin.length || [...pin.toString('utf8')].length < 4)
      return { status: Ctap2Status.PIN_POLICY_VIOLATION };
    this.storedPinHash = pinHash(pin);
    this.pinRetries = MAX_PIN_RETRIES;
    padded.fill(0);
    return { status: 0 };
  }

  private pinToken(
    protocol: PinUvProtocol,
    shared: Buffer,
    p: Map<unknown, unknown>,
    permissions: number,
    rpId: string | null,
  ): PinReply {
    const pinHashEnc = p.get(0x06);
    if (!(pinHashEnc instanceof Uint8Array)) return { status: Ctap2Status.MISSING_PARAMETER };
    if (!this.storedPinHash) return { status: Ctap2Status.PIN_NOT_SET };
    if (this.pinRetries === 0) return { status: Ctap2Status.PIN_BLOCKED };
    if (this.wrongThisCycle >= WRONG_PER_POWER_CYCLE) return { status: Ctap2Status.PIN_AUTH_BLOCKED };
    // Retries drop before the check, so pulling the key mid-check cannot give a free try.
    this.pinRetries -= 1;
    let given: Buffer;
    try {
      given = protocol.decrypt(shared, Buffer.from(pinHashEnc));
    } catch {
      given = Buffer.alloc(0);
    }
    if (given.length !== 16 || !timingSafeEqual(given, this.storedPinHash)) {
      this.wrongThisCycle += 1;
      this.regenerate();
      if (this.pinRetries === 0) return { status: Ctap2Status.PIN_BLOCKED };
      if (this.wrongThisCycle >= WRONG_PER_POWER_CYCLE) return { status: Ctap2Status.PIN_AUTH_BLOCKED };
      return { status: Ctap2Status.PIN_INVALID };
    }
    this.pinRetries = MAX_PIN_RETRIES;
    this.wrongThisCycle = 0;
    return this.issue(protocol, shared, permissions, rpId, false);
  }

  private uvToken(protocol: PinUvProtocol, shared: Buffer, permissions: number, rpId: string | null): PinReply {
    if (!this.options.builtInUv) return { status: Ctap2Status.INVALID_SUBCOMMAND };
    if (this.uvRetries === 0) return { status: Ctap2Status.UV_BLOCKED };
    return {
      touch: () => {
        if (this.uvMismatch > 0) {
          this.uvMismatch -= 1;
          this.uvRetries -= 1;
          return { status: this.uvRetries === 0 ? Ctap2Status.UV_BLOCKED : Ctap2Status.UV_INVALID };
        }
        this.uvRetries = this.options.uvRetries ?? MAX_UV_RETRIES;
        return this.issue(protocol, shared, permissions, rpId, true);
      },
    };
  }

  private issue(
    protocol: PinUvProtocol,
    shared: Buffer,
    permissions: number,
    rpId: string | null,
    userPresent: boolean,
  ): { status: number; body: Map<unknown, unknown> } {
    // A new token each time: every earlier one stops working (§6.5.5.7 "resetPinUvAuthToken").
    this.token = { value: randomBytes(32), permissions, rpId, userPresent };
    return { status: 0, body: new Map([[0x02, protocol.encrypt(shared, this.token.value)]]) };
  }

  private regenerate(): void {
    this.agreement = createECDH('prime256v1');
    this.agreement.generateKeys();
  }
}
