import { X509Certificate } from 'node:crypto';
import { YUBICO_INTERMEDIATES, YUBICO_ROOTS } from './attestation-roots';
import { repairKnownMisencodedSignature } from './u2f-fixsig';

const MAX_PATH = 4;

let cached: { roots: X509Certificate[]; intermediates: X509Certificate[] } | null = null;
function yubicoAnchors() {
  cached ??= {
    roots: YUBICO_ROOTS.map((r) => new X509Certificate(r.pem)),
    intermediates: YUBICO_INTERMEDIATES.map((pem) => new X509Certificate(pem)),
  };
  return cached;
}

function issues(issuer: X509Certificate, subject: X509Certificate): boolean {
  return issuer.ca && subject.checkIssued(issuer) && subject.verify(issuer.publicKey);
}

function validAt(cert: X509Certificate, at: Date): boolean {
  return Date.parse(cert.validFrom) <= at.getTime() && at.getTime() <= Date.parse(cert.validTo);
}

export type ChainVerdict = { ok: true; root: string } | { ok: false; reason: string };

/**
 * Builds a path from the leaf to one of the trusted roots, every link checked by signature, issuer
 * name, CA flag and validity at `at`. Extra certificates (the rest of x5c, known intermediates)
 * are only candidates: trust comes from the roots alone.
 */
export function verifyChainToRoots(
  chain: X509Certificate[],
  at: Date,
  anchors: { roots: X509Certificate[]; intermediates: X509Certificate[] } = yubicoAnchors(),
): ChainVerdict {
  const [first, ...rest] = chain;
  if (!first) return { ok: false, reason: 'no attestation certificate' };
  const leaf = repairKnownMisencodedSignature(first);
  const candidates = [...rest, ...anchors.intermediates];
  let current = leaf;
  for (let depth = 0; depth <= MAX_PATH; depth++) {
    if (!validAt(current, at))
      return { ok: false, reason: `certificate "${current.subject}" was not valid at enrolment time` };
    const root = anchors.roots.find((r) => issues(r, current));
    if (root) return { ok: true, root: root.subject.replace(/^CN=/, '') };
    const next = candidates.find((c) => c !== current && issues(c, current));
    if (!next)
      return {
        ok: false,
        reason: `certificate "${current.subject.replace(/\n/g, ', ')}" does not chain to a Yubico attestation root`,
      };
    current = next;
  }
  return { ok: false, reason: 'certificate path too long' };
}

const AAGUID_EXTENSION = Buffer.from('060b2b0601040182e51c01010404120410', 'hex');

/** The id-fido-gen-ce-aaguid extension of an attestation certificate, if it has one. */
export function certificateAaguid(der: Buffer): string | null {
  const at = der.indexOf(AAGUID_EXTENSION);
  if (at < 0 || at + AAGUID_EXTENSION.length + 16 > der.length) return null;
  return der.subarray(at + AAGUID_EXTENSION.length, at + AAGUID_EXTENSION.length + 16).toString('hex');
}
