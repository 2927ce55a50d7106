import { cutAtCodePoint, replaceLoneSurrogates } from '../../src-shared/well-formed-text';
import { SsoCredentialsError } from './sso-credentials-error';

export type ProbeOutcome = 'sso_unavailable' | 'inconclusive';

const NETWORK =
  /ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|ECONNRESET|EHOSTUNREACH|ENETUNREACH|socket hang up|TimeoutError|RequestTimeout/i;

/**
 * Access-key-like strings never reach the journal, whatever an error message carries; the cut at
 * 500 never splits a surrogate pair and a lone surrogate becomes U+FFFD (journal text is valid Unicode).
 */
export function redact(message: string): string {
  const redacted = message
    .replace(/\b(AKIA|ASIA)[A-Z0-9]{12,}\b/g, '[redacted key id]')
    .replace(/[A-Za-z0-9/+=]{60,}/g, '[redacted]');
  return replaceLoneSurrogates(cutAtCodePoint(redacted, 500)).text;
}

function statusOf(error: unknown): number | undefined {
  const meta = (error as { $metadata?: { httpStatusCode?: number } })?.$metadata;
  return meta?.httpStatusCode;
}

/**
 * What a failed probe says about SSO. The SSO side failing to answer (network, 5xx) is
 * "sso_unavailable"; a local problem (no profile, expired cached token) or STS refusing
 * credentials SSO did issue is "inconclusive": it proves nothing either way.
 */
export function classifyProbeError(error: unknown): { outcome: ProbeOutcome; name: string; message: string } {
  if (error instanceof SsoCredentialsError) {
    const cause = error.cause as Error & { code?: string };
    const name = cause?.name ?? 'Error';
    const text = `${cause?.message ?? ''} ${cause?.code ?? ''}`;
    const status = statusOf(cause);
    const unavailable =
      NETWORK.test(text) ||
      NETWORK.test(name) ||
      (status !== undefined && status >= 500) ||
      /InternalServer|ServiceUnavailable|Throttl/i.test(name);
    const outcome: ProbeOutcome = unavailable ? 'sso_unavailable' : 'inconclusive';
    return { outcome, name, message: redact(`SSO credentials: ${cause?.message ?? String(cause)}`) };
  }
  const e = error as Error & { code?: string };
  return { outcome: 'inconclusive', name: e?.name ?? 'Error', message: redact(`STS: ${e?.message ?? String(error)}`) };
}
