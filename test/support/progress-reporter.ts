// `npm test`'s vitest reporter, after the default one: a line every 30 s naming the files still
// running (a crash or e2e file runs for minutes without another line), and, as the very last
// line of the run, `N passed, N failed, N skipped` for whoever reads the end of a log.
import type { Reporter, SerializedError, TestModule, TestSpecification } from 'vitest/node';

export const HEARTBEAT_MS = 30_000;

export interface Counts {
  passed: number;
  failed: number;
  skipped: number;
}

/** Tests by state; a file that failed without running a test and an error outside any test each count as one failure. */
export function countResults(
  modules: ReadonlyArray<TestModule>,
  unhandledErrors: ReadonlyArray<SerializedError>,
): Counts {
  const counts: Counts = { passed: 0, failed: unhandledErrors.length, skipped: 0 };
  for (const m of modules) {
    let tests = 0;
    for (const t of m.children.allTests()) {
      tests += 1;
      const state = t.result().state;
      if (state === 'passed') counts.passed += 1;
      else if (state === 'failed') counts.failed += 1;
      else counts.skipped += 1;
    }
    if (tests === 0 && m.state() === 'failed') counts.failed += 1;
  }
  return counts;
}

export function summaryLine(c: Counts): string {
  return `${c.passed} passed, ${c.failed} failed, ${c.skipped} skipped`;
}

export default class ProgressReporter implements Reporter {
  private readonly running = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private total = 0;
  private done = 0;

  private readonly write: (line: string) => void;

  constructor(options: { write?: (line: string) => void } = {}) {
    this.write = options.write ?? ((line) => void process.stdout.write(`${line}\n`));
  }

  onTestRunStart(specifications: ReadonlyArray<TestSpecification>): void {
    this.total = new Set(specifications.map((s) => s.moduleId)).size;
    this.write(`vitest: ${this.total} test files`);
    // On a terminal the default reporter already shows the running files, redrawn in place.
    if (process.stdout.isTTY) return;
    this.timer = setInterval(() => this.heartbeat(), HEARTBEAT_MS);
    this.timer.unref();
  }

  onTestModuleStart(module: TestModule): void {
    this.running.set(module.relativeModuleId, Date.now());
  }

  onTestModuleEnd(module: TestModule): void {
    this.running.delete(module.relativeModuleId);
    this.done += 1;
  }

  heartbeat(): void {
    if (this.running.size === 0) return;
    const now = Date.now();
    const files = [...this.running].map(([file, since]) => `${file} (${Math.round((now - since) / 1000)} s)`);
    this.write(`vitest: ${this.done}/${this.total} files done; running ${files.join(', ')}`);
  }

  onTestRunEnd(modules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<SerializedError>): void {
    clearInterval(this.timer);
    this.write(summaryLine(countResults(modules, unhandledErrors)));
  }
}
