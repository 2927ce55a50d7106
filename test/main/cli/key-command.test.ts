import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../../support/run-cli';
import { useTempDir } from '../../support/temp-dir';

describe('breakglass key', () => {
  const tempDir = useTempDir();

  it('enrols the drill key through the real CTAPHID client, refuses the same key as backup, and lists it as virtual', async () => {
    const dataDir = path.join(tempDir(), 'data');
    expect((await cli(['key', 'list', '--data-dir', dataDir])).out).toMatch(
      /No key is enrolled yet \(there is no journal at .+\)/,
    );
    // Listing only reads: it does not create the data directory it was pointed at.
    expect(existsSync(dataDir)).toBe(false);
    const primary = await cli(['key', 'enrol', '--drill', '--data-dir', dataDir]);
    expect(primary.code, primary.err).toBe(0);
    expect(primary.out).toMatch(/Touch your key now\.\nenrolled primary key for taha@example\.com: .+ \(virtual key\)/);
    // The authenticator itself refuses (excludeList): one physical key cannot be its own backup.
    // Same refusal code as a taken slot (already-enrolled), so the same exit code: bad input, 2.
    const backup = await cli(['key', 'enrol', '--drill', '--label', 'backup', '--data-dir', dataDir]);
    expect(backup.code).toBe(2);
    expect(backup.err).toMatch(/already enrolled\. Use a different key for the backup/);
    const again = await cli(['key', 'enrol', '--drill', '--data-dir', dataDir]);
    expect(again.code).toBe(2);
    expect(again.err).toMatch(/already has a drill primary key enrolled/);
    const list = await cli(['key', 'list', '--data-dir', dataDir]);
    expect(list.out.split('\n')).toEqual([expect.stringMatching(/^taha@example\.com primary: .* virtual key/)]);
  });

  it('says clearly what is wrong with its arguments', async () => {
    const dataDir = tempDir();
    expect((await cli(['key'])).err).toMatch(/say what to do: status, list, enrol/);
    expect((await cli(['key', 'enrol', '--drill', '--label', 'spare', '--data-dir', dataDir])).err).toMatch(
      /--label: expected primary or backup/,
    );
    expect(
      (await cli(['key', 'enrol', '--drill', '--operator', 'eve@example.com', '--data-dir', dataDir])).err,
    ).toMatch(/--operator: expected one of the configured principals \(taha@example\.com\)/);
  });

  it('reports the drill key as present and usable', async () => {
    const r = await cli(['key', 'status', '--drill', '--data-dir', tempDir()]);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/^VIRTUAL \(drill\) key present: .*ctap2/);
  });
});
