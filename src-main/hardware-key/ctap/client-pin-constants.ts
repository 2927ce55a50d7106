/** authenticatorClientPIN subcommands (CTAP 2.1 §6.5.5, parameter 0x02). */
export const ClientPinSub = {
  GET_PIN_RETRIES: 0x01,
  GET_KEY_AGREEMENT: 0x02,
  SET_PIN: 0x03,
  CHANGE_PIN: 0x04,
  /** getPinToken: CTAP 2.0's token, implicitly for makeCredential and getAssertion. */
  GET_PIN_TOKEN: 0x05,
  GET_TOKEN_USING_UV_WITH_PERMISSIONS: 0x06,
  GET_UV_RETRIES: 0x07,
  GET_TOKEN_USING_PIN_WITH_PERMISSIONS: 0x09,
} as const;

/** pinUvAuthToken permissions (CTAP 2.1 §6.5.5.7). Breakglass only ever asks for mc and ga. */
export const Permission = { MC: 0x01, GA: 0x02, CM: 0x04, BE: 0x08, LBW: 0x10, ACFG: 0x20 } as const;
