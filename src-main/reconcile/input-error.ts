import { UserError, EXIT_USAGE } from '../cli/command';

/** An input file that cannot be used: names the file and what is wrong, never a stack trace. */
export class ReconcileInputError extends UserError {
  constructor(readonly file: string, readonly problem: string) {
    super(`${file}: ${problem}`, EXIT_USAGE);
  }
}
