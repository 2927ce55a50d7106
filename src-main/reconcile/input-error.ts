import { printable } from './terminal-text';

/**
 * An input reconcile cannot use: names the file (or the ceremony) and what is wrong, never a
 * stack trace. A domain error: how it is shown is the caller's (the CLI maps it to exit 2 in
 * cli/classify-failure.ts, the app to an `invalid-input` reply).
 */
export class ReconcileInputError extends Error {
  constructor(
    readonly file: string,
    readonly problem: string,
  ) {
    // One line, terminal-safe: file names and problems can carry bytes from the input.
    super(printable(`${file}: ${problem}`));
    this.name = 'ReconcileInputError';
  }
}
