/**
 * What the wire server can do wrong, on purpose:
 * - drop-before: close the connection before applying the command (nothing written)
 * - drop-after: apply the command, then close without replying (written, never acknowledged)
 * - delay: apply, then hold the reply for `delayMs`, or until `release` settles (a test's own event)
 * - write-concern-error: apply, reply ok with a writeConcernError (default code 64, WriteConcernFailed)
 * - duplicate-key: another writer got there first: the first half of the batch is stored before
 *   the insert runs, so those documents come back as E11000 (identical documents, nothing lost)
 * - not-primary: refuse with NotWritablePrimary (10107), nothing written
 * - auth-failure: refuse with AuthenticationFailed (18), nothing written
 * - garbage: answer with bytes that are not a MongoDB message, then close
 * - ack-nothing: store nothing, reply { ok: 1, n: 0 } (a proxy or a broken server that "acknowledges")
 * - trickle: apply, then send a reply one byte every `delayMs` (default 50), never finishing it:
 *   each byte resets the client's socket timeout (slowloris)
 * - hang: apply, then never reply (the connection stays open until the client closes it)
 */
export type FaultKind =
  | 'drop-before'
  | 'drop-after'
  | 'delay'
  | 'write-concern-error'
  | 'duplicate-key'
  | 'not-primary'
  | 'auth-failure'
  | 'garbage'
  | 'ack-nothing'
  | 'trickle'
  | 'hang';

export interface Fault {
  kind: FaultKind;
  delayMs?: number;
  /** For delay: hold the reply until this settles instead of for `delayMs`. */
  release?: Promise<void>;
  /** For write-concern-error: the code to report (64 WriteConcernFailed, 79 UnknownReplWriteConcern, ...). */
  code?: number;
}

interface Rule {
  faults: readonly Fault[];
  commands: ReadonlySet<string> | 'all';
  remaining: number;
  probability: number;
  random: () => number;
}

export interface RandomFaultOptions {
  probability: number;
  faults: readonly Fault[];
  /** Which commands may be hit; default insert only. 'all' includes the handshake. */
  commands?: readonly string[] | 'all';
  /** A seeded generator keeps a failing soak reproducible. */
  random?: () => number;
  /** Stop after this many faults (default unlimited). */
  limit?: number;
}

export class FaultPlan {
  private rules: Rule[] = [];
  fired = 0;
  readonly firedByKind: Partial<Record<FaultKind, number>> = {};

  /** The next matching command gets `fault`, `times` times in a row. */
  once(fault: Fault, commands: readonly string[] | 'all' = ['insert'], times = 1): this {
    this.rules.push({
      faults: [fault],
      commands: toSet(commands),
      remaining: times,
      probability: 1,
      random: Math.random,
    });
    return this;
  }

  always(fault: Fault, commands: readonly string[] | 'all' = ['insert']): this {
    return this.once(fault, commands, Number.POSITIVE_INFINITY);
  }

  random(options: RandomFaultOptions): this {
    this.rules.push({
      faults: options.faults,
      commands: toSet(options.commands ?? ['insert']),
      remaining: options.limit ?? Number.POSITIVE_INFINITY,
      probability: options.probability,
      random: options.random ?? Math.random,
    });
    return this;
  }

  clear(): void {
    this.rules = [];
  }

  /** The fault for this command, if any rule fires; consumes one use of that rule. */
  pick(commandName: string): Fault | undefined {
    for (const rule of this.rules) {
      if (rule.remaining <= 0) continue;
      if (rule.commands !== 'all' && !rule.commands.has(commandName)) continue;
      if (rule.probability < 1 && rule.random() >= rule.probability) continue;
      const candidates = commandName === 'insert' ? rule.faults : rule.faults.filter((f) => f.kind !== 'duplicate-key');
      if (candidates.length === 0) continue;
      const fault = candidates[Math.floor(rule.random() * candidates.length) % candidates.length]!;
      rule.remaining -= 1;
      this.fired += 1;
      this.firedByKind[fault.kind] = (this.firedByKind[fault.kind] ?? 0) + 1;
      return fault;
    }
    this.rules = this.rules.filter((r) => r.remaining > 0);
    return undefined;
  }
}

function toSet(commands: readonly string[] | 'all'): ReadonlySet<string> | 'all' {
  return commands === 'all' ? 'all' : new Set(commands);
}

/** Mulberry32: a tiny seeded PRNG so random fault sequences can be replayed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
