// vitest's JSON report, written without its "JSON report written to …" line: that line came
// last in `npm test`, after the summary a reader looks for.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { JsonReporter } from 'vitest/node';

export default class QuietJsonReporter extends JsonReporter {
  private readonly file: string;

  constructor(options: { outputFile: string }) {
    super(options);
    this.file = options.outputFile;
  }

  override async writeReport(report: string): Promise<void> {
    const file = path.resolve(this.ctx.config.root, this.file);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, report, 'utf8');
  }
}
