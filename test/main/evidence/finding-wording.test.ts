import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderVerdict } from '../../../src-main/cli/render-verdict';
import { genuineCeremony, verifyFile, type Genuine } from './fixture';

let g: Genuine;
beforeAll(async () => {
  g = await genuineCeremony();
});
afterAll(() => rmSync(g.dir, { recursive: true, force: true }));

describe('a finding whose remedy is a flag carries a code; the CLI words the flag', () => {
  it('unpinned keys: the verifier says what is wrong, `breakglass verify` says which flag answers it', () => {
    const report = verifyFile(g.bundle);
    expect(report.verdict).toBe('ORIGIN NOT VERIFIED');
    const unpinned = report.findings.find((f) => f.code === 'keys-not-pinned');
    expect(unpinned).toMatchObject({ verdict: 'ORIGIN NOT VERIFIED', seq: null });
    // The app shows this reason too, where there is no flag to pass.
    expect(unpinned!.reason).not.toMatch(/--/);
    const lines = renderVerdict(report, { rulesSource: 'the built-in example' });
    expect(lines).toContain(
      '  ORIGIN NOT VERIFIED no keys pinned: anyone can make a key and sign a history; pass the trusted-keys file from enrolment (--trusted-keys)',
    );
    expect(lines.at(-1)).toBe(
      '  verdict      ORIGIN NOT VERIFIED: consistent, but signed by keys the reviewer did not pin (--trusted-keys) (exit 5)',
    );
  });

  it('pinned keys: no such finding', () => {
    expect(verifyFile(g.bundle, { trust: g.trust }).findings.filter((f) => f.code === 'keys-not-pinned')).toEqual([]);
  });
});
