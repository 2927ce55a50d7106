import { hash as sha256 } from 'node:crypto';

/** How much of the file the work buffer holds at a time; a line longer than this is hashed the slow way. */
const WINDOW = 1 << 20;
/** Room after the window for one line's hashed text (payloads over ~16 KB are hashed the slow way too). */
const SCRATCH = 16384;

/**
 * Hashes entry lines of one ASCII bundle file from its bytes. The chain hash of a line is SHA-256
 * of its pieces in another order (entry-line-hash.ts); they are copied into a scratch area that
 * lies in the same buffer as a window of the file, so each piece is one `copyWithin`, a builtin
 * that allocates nothing, where a copy between two buffers costs a view per piece and a byte loop
 * in JavaScript costs more than the hash itself. The window moves forward with the lines, so the
 * file is copied once in all, into one small buffer whose pages are already mapped.
 */
export class LineHasher {
  /** A window of the file from `at`, then the scratch area, which starts with `opening`. */
  private readonly work: Buffer;
  private at = 0;
  private held = 0;
  private readonly opening: number;
  /** How much of the file the work buffer holds: WINDOW, or the whole file when it is smaller. */
  private readonly window: number;
  /** Views of the scratch by length, so hashing a line allocates no view either. */
  private readonly views: Array<Uint8Array | undefined> = [];

  /**
   * `opening` is `{"ceremony_id":C,`, the same at the start of every line's hashed text. A small
   * bundle (every verify at start-up) gets a buffer of its own size, not a megabyte.
   */
  constructor(
    private readonly file: Uint8Array,
    opening: string,
    /** Tests make it small, so that lines cross its edges. */
    window = WINDOW,
  ) {
    this.window = Math.min(window, file.length);
    this.work = Buffer.allocUnsafeSlow(this.window + SCRATCH);
    this.work.write(opening, this.window, 'latin1');
    this.opening = opening.length;
  }

  /**
   * SHA-256 of opening + [from, t) + [t+41, t+120) + [t, t+41) + "," + [seqFrom, seqEnd) + "}"
   * of the file, or undefined when the line does not fit the window or its hashed text the scratch.
   */
  hash(from: number, t: number, seqFrom: number, seqEnd: number): string | undefined {
    const n = this.opening + (t - from) + 122 + (seqEnd - seqFrom);
    if (n > SCRATCH || t + 120 - seqFrom > this.window) return undefined;
    if (seqFrom < this.at || t + 120 > this.at + this.held) this.load(seqFrom);
    const b = this.work;
    const o = -this.at;
    let k = this.window + this.opening;
    b.copyWithin(k, from + o, t + o);
    k += t - from;
    b.copyWithin(k, t + 41 + o, t + 120 + o); // ,"prev_hash":"H"
    k += 79;
    b.copyWithin(k, t + o, t + 41 + o); // ,"recorded_at":"R"
    k += 41;
    b[k++] = 0x2c; // ,
    b.copyWithin(k, seqFrom + o, seqEnd + o); // "seq":N
    k += seqEnd - seqFrom;
    b[k] = 0x7d; // }
    const view = (this.views[n] ??= new Uint8Array(b.buffer, b.byteOffset + this.window, n));
    return sha256('sha256', view, 'hex');
  }

  /** The window from `from`: as much of the file as fits. */
  private load(from: number): void {
    this.at = from;
    this.held = Math.min(this.window, this.file.length - from);
    this.work.set(this.file.subarray(from, from + this.held), 0);
  }
}
