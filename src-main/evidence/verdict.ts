/**
 * The verdicts of `breakglass verify` (and of every reader of a bundle), most severe first, with
 * their exit codes. docs/threat-model.md says what each proves and what it cannot.
 */
export const VERDICTS = {
  UNREADABLE: { exit: 2, meaning: 'not a bundle this version can read' },
  TAMPERED: { exit: 1, meaning: 'the file contradicts its own hashes, signatures, pinned keys or witness codes' },
  'RULES BROKEN': { exit: 3, meaning: 'signed, but the history breaks the runbook: not a ceremony the app writes' },
  INCOMPLETE: {
    exit: 4,
    meaning: 'a required lock is missing, the ceremony is not finished, or entries after the last tap are unsigned',
  },
  'ORIGIN NOT VERIFIED': {
    exit: 5,
    meaning: 'consistent, but signed by keys the reviewer did not pin (--trusted-keys)',
  },
  'DRILL INTACT': {
    exit: 6,
    meaning: 'an intact drill: practice with the virtual key, never evidence of a real ceremony',
  },
  INTACT: { exit: 0, meaning: 'complete, by the runbook, every lock by a pinned key' },
} as const;

export type Verdict = keyof typeof VERDICTS;

/** One thing wrong, in the class it belongs to. */
export interface Finding {
  verdict: Exclude<Verdict, 'INTACT' | 'DRILL INTACT' | 'UNREADABLE'>;
  seq: number | null;
  reason: string;
}

const ORDER: readonly Finding['verdict'][] = ['TAMPERED', 'RULES BROKEN', 'INCOMPLETE', 'ORIGIN NOT VERIFIED'];

/** The verdict of a list of findings: the most severe class among them, or intact. */
export function verdictOf(findings: readonly Finding[], drill: boolean): Verdict {
  for (const v of ORDER) if (findings.some((f) => f.verdict === v)) return v;
  return drill ? 'DRILL INTACT' : 'INTACT';
}
