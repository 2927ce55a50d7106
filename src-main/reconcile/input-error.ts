import { UserError, EXIT_USAGE } from '../cli/command';
import { printable } from './terminal-text';

/** An input file that cannot be used: names the file and what is wrong, never a stack trace. */
export class ReconcileInputError extends UserError {
  constructor(readonly file: string, readonly problem: string) {
    // One line, terminal-safe: file names and problems can carry bytes from the input.
    super(printable(`${file}: ${problem}`), EXIT_USAGE);
  }
}
