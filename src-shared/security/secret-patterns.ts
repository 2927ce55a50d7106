// What a secret looks like: the ceremony refuses such text at input (the journal is append-only,
// so a typed secret could never be removed), and the tests scan everything the app writes.
// Findings never quote the secret: a scan that prints what it found would leak it into CI logs.

export interface SecretFinding {
  where: string;
  rule: string;
  excerpt: string;
}

/** Words that, in a field or column name, mean the field holds a secret. */
const SECRET_WORDS = new Set([
  'password',
  'passwd',
  'passphrase',
  'pwd',
  'secret',
  'secrets',
  'mfa',
  'otp',
  'totp',
  'hotp',
  'passcode',
  'token',
  'tokens',
  'credentials',
]);
/** Pairs of words that do (access key, session token, private key, api key, auth token). */
const SECRET_PAIRS: ReadonlyArray<readonly [string, string]> = [
  ['access', 'key'],
  ['session', 'token'],
  ['private', 'key'],
  ['api', 'key'],
  ['auth', 'token'],
  ['master', 'key'],
];
/** Name words under which a bare six-digit number is an MFA code. */
const CODE_WORDS = new Set(['mfa', 'otp', 'totp', 'hotp', 'code', 'token', 'passcode', 'pin']);

/** snake_case, kebab-case and camelCase names as lower-case words: SecretAccessKey -> secret access key. */
export function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

/** The rule a field or column name breaks, if any. */
export function secretNameRule(name: string): string | null {
  const words = nameWords(name);
  const single = words.find((w) => SECRET_WORDS.has(w));
  if (single) return `secret-looking name ("${single}")`;
  const pair = SECRET_PAIRS.find(([a, b]) => words.includes(a) && words.includes(b));
  return pair ? `secret-looking name ("${pair.join(' ')}")` : null;
}

/**
 * `identifier`: the value names a credential without being one. An access key id (AKIA…) is how
 * the cleanup runbook's own `aws iam delete-access-key --access-key-id AKIA…` names the key to
 * delete; it appears in CloudTrail and IAM listings. Typed into the ceremony it is accepted; the
 * scans of what the app writes still report it, so a stray one is looked at.
 */
export const VALUE_RULES: ReadonlyArray<{ rule: string; pattern: RegExp; identifier?: true }> = [
  { rule: 'AWS access key id', pattern: /\b(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}\b/, identifier: true },
  { rule: 'AWS session token', pattern: /(?:IQoJb3JpZ2lu|FwoGZXIvYXdz|FQoGZXIvYXdz)[A-Za-z0-9/+=]{16,}/ },
  { rule: 'private key', pattern: /-----BEGIN (?:[A-Z]+ )*PRIVATE KEY-----/ },
  { rule: 'URL with a password', pattern: /\b[a-z][a-z0-9+.-]*:\/\/[^\s/:@]+:[^\s/@]+@/i },
  { rule: 'password in text', pattern: /\b(?:password|passwd|pwd|passphrase)\b\s*(?:is|was|=|:)\s*["']?[^\s"']{4,}/i },
  {
    rule: 'MFA code in text',
    pattern:
      /\b(?:mfa|otp|totp|2fa|passcode|one[- ]time (?:pass)?code|authenticator code|verification code|security code)\b\D{0,30}(?<!\d)\d{6}(?!\d)/i,
  },
];
/** 40 base64 characters: the shape of an AWS secret access key. Only a finding next to "secret". */
const SECRET_KEY_SHAPE = /(?<![A-Za-z0-9/+])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/;

function redact(text: string, index: number): string {
  return `${text.slice(Math.max(0, index - 12), index).replace(/\s+/g, ' ')}[…]`;
}

/** Findings in one string value; `name` is the field or column it sits in (may be empty). */
export function scanValue(value: string, name: string, where: string): SecretFinding[] {
  const out: SecretFinding[] = [];
  for (const { rule, pattern } of VALUE_RULES) {
    const m = pattern.exec(value);
    if (m) out.push({ where, rule, excerpt: redact(value, m.index) });
  }
  const shaped = SECRET_KEY_SHAPE.exec(value);
  if (shaped && (/secret/i.test(name) || /secret/i.test(value)))
    out.push({ where, rule: 'AWS secret access key', excerpt: redact(value, shaped.index) });
  if (/^\s*\d{6}\s*$/.test(value) && nameWords(name).some((w) => CODE_WORDS.has(w)))
    out.push({ where, rule: 'MFA code', excerpt: '[six digits]' });
  return out;
}

/** Walks parsed JSON: every key is a name to judge, every string and number a value. */
export function scanJson(value: unknown, where: string, name = ''): SecretFinding[] {
  if (typeof value === 'string') return scanValue(value, name, where);
  if (typeof value === 'number') return scanValue(String(value), name, where);
  if (Array.isArray(value)) return value.flatMap((v, i) => scanJson(v, `${where}[${i}]`, name));
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => {
      const rule = secretNameRule(k);
      const here = `${where}.${k}`;
      return [...(rule ? [{ where: here, rule, excerpt: '' }] : []), ...scanJson(v, here, k)];
    });
  }
  return [];
}

/** Plain text (markdown, logs): line by line, no field names. */
export function scanText(text: string, where: string): SecretFinding[] {
  return text.split(/\r?\n/).flatMap((line, i) => scanValue(line, '', `${where}:${i + 1}`));
}

/**
 * The first secret-looking value in command arguments, or null. `exempt` names fields that are
 * read in memory and discarded by design (the pasted `aws sts assume-role` output).
 */
export function findSecretInArguments(args: unknown, exempt: readonly string[] = []): SecretFinding | null {
  if (args === null || typeof args !== 'object') return null;
  const kept = Object.fromEntries(Object.entries(args).filter(([k]) => !exempt.includes(k)));
  return scanJson(kept, 'args').find((f) => !IDENTIFIER_RULES.has(f.rule)) ?? null;
}

/** Rules that find names of credentials, not credentials: never a reason to refuse input. */
const IDENTIFIER_RULES = new Set(VALUE_RULES.filter((r) => r.identifier).map((r) => r.rule));
