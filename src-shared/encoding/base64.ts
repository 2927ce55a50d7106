/**
 * Strict base64 (RFC 4648 section 4, padded) to bytes, in pure TypeScript: src-shared has no
 * Buffer and no atob. Returns null for anything that is not exactly canonical base64, because
 * evidence must be read as exactly what was stored (Buffer.from skips junk silently).
 */
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const LOOKUP = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) LOOKUP[ALPHABET.charCodeAt(i)] = i;

export function decodeBase64(text: string): Uint8Array | null {
  if (text.length === 0 || text.length % 4 !== 0) return null;
  const pad = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  const out = new Uint8Array((text.length / 4) * 3 - pad);
  let o = 0;
  for (let i = 0; i < text.length; i += 4) {
    const q = [0, 1, 2, 3].map((j) => {
      const c = text.charCodeAt(i + j);
      if (c === 61 && i + j >= text.length - pad) return 0; // '=' only as the final padding
      return c < 128 ? LOOKUP[c]! : -1;
    });
    if (q.some((v) => v < 0)) return null;
    const n = (q[0]! << 18) | (q[1]! << 12) | (q[2]! << 6) | q[3]!;
    if (o < out.length) out[o++] = (n >> 16) & 0xff;
    if (o < out.length) out[o++] = (n >> 8) & 0xff;
    if (o < out.length) out[o++] = n & 0xff;
  }
  // Canonical only: the bits dropped by padding must be zero.
  const last = text.length - pad - 1;
  const lastValue = LOOKUP[text.charCodeAt(last)]!;
  if ((pad === 2 && (lastValue & 0x0f) !== 0) || (pad === 1 && (lastValue & 0x03) !== 0)) return null;
  return out;
}
