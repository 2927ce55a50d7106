/**
 * The verdicts of every reader of a bundle, most severe first. docs/threat-model.md says what
 * each proves and what it cannot; the CLI's exit code for each is cli/verdict-exits.ts.
 */
export const VERDICTS = {
  UNREADABLE: { meaning: 'not a bundle this version can read' },
  TAMPERED: { meaning: 'the file contradicts its own hashes, signatures, pinned keys or witness codes' },
  'RULES BROKEN': { meaning: 'signed, but the history breaks the runbook: not a ceremony the app writes' },
  INCOMPLETE: {
    meaning: 'a required lock is missing, the ceremony is not finished, or entries after the last tap are unsigned',
  },
  'ORIGIN NOT VERIFIED': { meaning: 'consistent, but signed by keys the reviewer did not pin' },
  'DRILL INTACT': { meaning: 'an intact drill: practice with the virtual key, never evidence of a real ceremony' },
  INTACT: { meaning: 'complete, by the runbook, every lock by a pinned key' },
} as const;

export type Verdict = keyof typeof VERDICTS;

/**
 * What a reader can do about a finding, for the findings where that depends on the reader: the
 * CLI names its flag (cli/render-verdict.ts), the app says it its own way (ipc/handlers.ts).
 */
export type FindingCode = 'keys-not-pinned';

/** One thing wrong, in the class it belongs to. */
export interface Finding {
  verdict: Exclude<Verdict, 'INTACT' | 'DRILL INTACT' | 'UNREADABLE'>;
  seq: number | null;
  reason: string;
  code?: FindingCode;
}

const ORDER: readonly Finding['verdict'][] = ['TAMPERED', 'RULES BROKEN', 'INCOMPLETE', 'ORIGIN NOT VERIFIED'];

/** The verdict of a list of findings: the most severe class among them, or intact. */
export function verdictOf(findings: readonly Finding[], drill: boolean): Verdict {
  for (const v of ORDER) if (findings.some((f) => f.verdict === v)) return v;
  return drill ? 'DRILL INTACT' : 'INTACT';
}
