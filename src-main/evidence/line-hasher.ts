import { hash as sha256 } from 'node:crypto';

/** Longer lines (payloads over ~16 KB) are hashed the slow way (entry-line-hash.ts): the scratch stays small. */
const SCRATCH = 16384;

/**
 * Hashes entry lines of one ASCII bundle file from its bytes. The chain hash of a line is SHA-256
 * of its pieces in another order (entry-line-hash.ts); they are copied into a scratch area that
 * lies in the same buffer as a copy of the file, so each piece is one `copyWithin`, a builtin that
 * allocates nothing, where a copy between two buffers costs a view per piece and a byte loop in
 * JavaScript costs more than the hash itself. The copy of the file is the price: one memcpy of
 * the file per verification, freed with the reader.
 */
export class LineHasher {
  /** The file's bytes, then the scratch area, which starts with `opening`. */
  readonly bytes: Uint8Array;
  private readonly base: number;
  private readonly opening: number;
  /** Views of the scratch by length, so hashing a line allocates no view either. */
  private readonly views: Array<Uint8Array | undefined> = [];

  /** `opening` is `{"ceremony_id":C,`, the same at the start of every line's hashed text. */
  constructor(file: Uint8Array, opening: string) {
    this.base = file.length;
    this.bytes = new Uint8Array(file.length + SCRATCH);
    this.bytes.set(file);
    for (let i = 0; i < opening.length; i++) this.bytes[this.base + i] = opening.charCodeAt(i);
    this.opening = opening.length;
  }

  /**
   * SHA-256 (hex) of opening + [from, t) + [t+41, t+120) + [t, t+41) + "," + [seqFrom, seqEnd) + "}",
   * or undefined when that does not fit the scratch.
   */
  hash(from: number, t: number, seqFrom: number, seqEnd: number): string | undefined {
    const n = this.opening + (t - from) + 122 + (seqEnd - seqFrom);
    if (n > SCRATCH) return undefined;
    const b = this.bytes;
    let k = this.base + this.opening;
    b.copyWithin(k, from, t);
    k += t - from;
    b.copyWithin(k, t + 41, t + 120); // ,"prev_hash":"H"
    k += 79;
    b.copyWithin(k, t, t + 41); // ,"recorded_at":"R"
    k += 41;
    b[k++] = 0x2c; // ,
    b.copyWithin(k, seqFrom, seqEnd); // "seq":N
    k += seqEnd - seqFrom;
    b[k] = 0x7d; // }
    const view = (this.views[n] ??= new Uint8Array(b.buffer, b.byteOffset + this.base, n));
    return sha256('sha256', view, 'hex');
  }
}
