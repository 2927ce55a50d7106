import { printable } from './terminal-text';

/** A refusal about the run's inputs as a whole, or the journal, rather than one file's content. */
export type ReconcileInputCode =
  'ceremony-not-in-journal' | 'no-cloudtrail' | 'digests-without-public-keys' | 'public-keys-without-digests';

/**
 * An input reconcile cannot use: names the file (or the ceremony) and what is wrong, never a
 * stack trace. A domain error: how it is shown is the caller's (the CLI maps it to exit 2 in
 * cli/classify-failure.ts, the app to an `invalid-input` reply).
 */
export class ReconcileInputError extends Error {
  constructor(
    readonly file: string,
    readonly problem: string,
    /** Set where the remedy is the caller's to word: the CLI names a flag, the app a form field. */
    readonly code?: ReconcileInputCode,
  ) {
    // One line, terminal-safe: file names and problems can carry bytes from the input.
    super(printable(`${file}: ${problem}`));
    this.name = 'ReconcileInputError';
  }
}
