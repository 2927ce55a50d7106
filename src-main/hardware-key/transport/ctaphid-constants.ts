/** CTAPHID (CTAP 2.1 §11.2) numbers, as listed in the protocol brief §3.1. */
export const REPORT_SIZE = 64;
export const INIT_HEADER = 7;
export const CONT_HEADER = 5;
export const INIT_DATA = REPORT_SIZE - INIT_HEADER; // 57
export const CONT_DATA = REPORT_SIZE - CONT_HEADER; // 59
export const MAX_SEQ = 0x7f;
/** 57 + 128 × 59: the largest message the framing can carry. */
export const MAX_MESSAGE = INIT_DATA + (MAX_SEQ + 1) * CONT_DATA;
export const BROADCAST_CID = 0xffffffff;
export const TYPE_INIT = 0x80;
export const CTAPHID_PROTOCOL_VERSION = 2;

export const Cmd = {
  PING: 0x01,
  MSG: 0x03,
  LOCK: 0x04,
  INIT: 0x06,
  WINK: 0x08,
  CBOR: 0x10,
  CANCEL: 0x11,
  KEEPALIVE: 0x3b,
  ERROR: 0x3f,
} as const;

export const Capability = { WINK: 0x01, CBOR: 0x04, NMSG: 0x08 } as const;

export const KeepaliveStatus = { PROCESSING: 0x01, UPNEEDED: 0x02 } as const;

export const HidError = {
  INVALID_CMD: 0x01,
  INVALID_PAR: 0x02,
  INVALID_LEN: 0x03,
  INVALID_SEQ: 0x04,
  MSG_TIMEOUT: 0x05,
  CHANNEL_BUSY: 0x06,
  LOCK_REQUIRED: 0x0a,
  INVALID_CHANNEL: 0x0b,
  OTHER: 0x7f,
} as const;

const HID_ERROR_TEXT: Record<number, string> = {
  0x01: 'the key does not know this command (ERR_INVALID_CMD)',
  0x02: 'invalid parameter (ERR_INVALID_PAR)',
  0x03: 'invalid message length (ERR_INVALID_LEN)',
  0x04: 'packets arrived out of sequence (ERR_INVALID_SEQ)',
  0x05: 'the message was not completed in time (ERR_MSG_TIMEOUT)',
  0x06: 'the key is busy with another application (ERR_CHANNEL_BUSY)',
  0x0a: 'the key is locked by another application (ERR_LOCK_REQUIRED)',
  0x0b: 'invalid channel (ERR_INVALID_CHANNEL)',
  0x7f: 'unspecified error (ERR_OTHER)',
};

export function hidErrorText(code: number): string {
  return HID_ERROR_TEXT[code] ?? `unknown CTAPHID error 0x${code.toString(16).padStart(2, '0')}`;
}

/** CTAP2 authenticator commands (first byte of a CBOR request). */
export const Ctap2Cmd = { MAKE_CREDENTIAL: 0x01, GET_ASSERTION: 0x02, GET_INFO: 0x04, CLIENT_PIN: 0x06 } as const;

/** CTAP2 status codes we act on (first byte of a CBOR response), brief §4.5. */
export const Ctap2Status = {
  SUCCESS: 0x00,
  INVALID_COMMAND: 0x01,
  INVALID_PARAMETER: 0x02,
  INVALID_LENGTH: 0x03,
  CHANNEL_BUSY: 0x06,
  INVALID_CBOR: 0x12,
  MISSING_PARAMETER: 0x14,
  LIMIT_EXCEEDED: 0x15,
  CREDENTIAL_EXCLUDED: 0x19,
  UNSUPPORTED_ALGORITHM: 0x26,
  OPERATION_DENIED: 0x27,
  UNSUPPORTED_OPTION: 0x2b,
  INVALID_OPTION: 0x2c,
  KEEPALIVE_CANCEL: 0x2d,
  NO_CREDENTIALS: 0x2e,
  USER_ACTION_TIMEOUT: 0x2f,
  NOT_ALLOWED: 0x30,
  PIN_INVALID: 0x31,
  PIN_BLOCKED: 0x32,
  PIN_AUTH_INVALID: 0x33,
  PIN_AUTH_BLOCKED: 0x34,
  PIN_NOT_SET: 0x35,
  PUAT_REQUIRED: 0x36,
  PIN_POLICY_VIOLATION: 0x37,
  ACTION_TIMEOUT: 0x3a,
  UP_REQUIRED: 0x3b,
  UV_BLOCKED: 0x3c,
  INVALID_SUBCOMMAND: 0x3e,
  UV_INVALID: 0x3f,
  UNAUTHORIZED_PERMISSION: 0x40,
  OTHER: 0x7f,
} as const;

/** ISO 7816 status words used by U2F over CTAPHID_MSG, brief §5. */
export const U2fStatus = {
  OK: 0x9000,
  CONDITIONS_NOT_SATISFIED: 0x6985,
  WRONG_DATA: 0x6a80,
  WRONG_LENGTH: 0x6700,
  INS_NOT_SUPPORTED: 0x6d00,
} as const;
export const U2fIns = { REGISTER: 0x01, AUTHENTICATE: 0x02, VERSION: 0x03 } as const;
export const U2fAuthP1 = { ENFORCE_UP_AND_SIGN: 0x03, CHECK_ONLY: 0x07 } as const;

/** Yubico's USB vendor ID: the keys Breakglass binds steps to are YubiKeys (any model, any PID). */
export const YUBICO_VENDOR_ID = 0x1050;

/** HID usage page/usage of a FIDO interface: how keys are found without a PID list. */
export const FIDO_USAGE_PAGE = 0xf1d0;
export const FIDO_USAGE = 0x01;
