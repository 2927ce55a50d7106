// scripts/build.mjs writes V8's code cache for `breakglass verify` by running one verify of this
// committed bundle (a signed 40-minute ceremony, like the start-up bench's small bundle): the cache
// then holds the code of a whole verification, not only of the modules' top level. The build
// refuses to finish if the bundle stops verifying as it expects, so a format change shows here
// first. Regenerate: UPDATE_WARM_UP=1 npx vitest run test/build/verify-warm-up.test.ts
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { VERDICT_EXITS } from '../../src-main/cli/verdict-exits';
import { parseBundle } from '../../src-main/evidence/parse-bundle';
import { verifyEvidence } from '../../src-main/evidence/verify-evidence';
import { builtInConfig } from '../../src-shared/config/example-config';
import { recordCeremony } from '../support/signed-ceremony';

const FIXTURE = path.resolve(__dirname, '../../scripts/verify-warm-up.bundle.json');
/** The exit status scripts/build.mjs expects from the warm-up verify (no keys pinned). */
const BUILD_EXPECTS_EXIT = 5;

async function regenerate() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bg-warm-up-'));
  try {
    const small = await recordCeremony(path.join(dir, 'data'), {
      start: '2026-11-20T08:00:00.000Z',
      signOutAt: '2026-11-20T08:40:00.000Z',
    });
    copyFileSync(small.exportTo(path.join(dir, 'out')), FIXTURE);
    small.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('the bundle the build verifies to warm the verify code cache', () => {
  it('is a consistent ceremony whose keys are not pinned: the exit status the build expects', async () => {
    if (process.env.UPDATE_WARM_UP === '1') await regenerate();
    const report = verifyEvidence(parseBundle(readFileSync(FIXTURE), 'warm-up'), {
      config: builtInConfig(),
      now: new Date('2026-12-01T00:00:00.000Z'),
    });
    expect(report.verdict).toBe('ORIGIN NOT VERIFIED');
    expect(VERDICT_EXITS[report.verdict]).toBe(BUILD_EXPECTS_EXIT);
  });
});
