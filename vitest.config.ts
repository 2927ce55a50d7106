import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // expect.poll waits for what the window or the core will show, however loaded the machine: its
    // default of 1 s made ~230 polls a race against the clock. A poll that holds returns at once.
    expect: { poll: { timeout: 15_000 } },
    // The crash, soak and browser tests are heavy; two cores are all we have.
    maxWorkers: 2,
    // default: a line per finished file and the failures; then ours: a heartbeat naming the
    // files still running and, last, one `N passed, N failed, N skipped` line. The JSON report
    // is for tools and is written without a line of its own.
    reporters: [
      'default',
      here('./test/support/progress-reporter.ts'),
      [here('./test/support/json-report.ts'), { outputFile: 'test-results/vitest.json' }],
    ],
  },
});
