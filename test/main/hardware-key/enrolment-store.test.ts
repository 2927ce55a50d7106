import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src-main/db/open-database';
import { describeAuthenticator } from '../../../src-main/webauthn/describe-authenticator';
import { listEnrolledKeys, saveEnrolledKey } from '../../../src-main/hardware-key/enrolment/enrolment-store';
import type { Result } from '../../../src-shared/result';
import { useTempDir } from '../../support/temp-dir';
import { enrolledFrom, YUBIKEY_PACKED } from './fixtures/yubikey-attestations';
import { virtualSetup } from './helpers';

/** The refusal's code; a save that was refused never throws. */
const codeOf = (saved: Result<unknown>): string | undefined => (saved.ok ? undefined : saved.error.code);

describe('enrolment store', () => {
  const tempDir = useTempDir();

  it('saves keys and reads them back unchanged, across reopening', async () => {
    const file = path.join(tempDir(), 'journal.sqlite3');
    const { service } = virtualSetup();
    const primary = await service.enrol({ operator: 'taha@example.com', label: 'primary' });
    service.close();
    const yubikey = { ...enrolledFrom(YUBIKEY_PACKED), label: 'backup' as const };
    const asad = { ...primary, credential_id: `${primary.credential_id.slice(0, -2)}AA`, operator: 'asad@example.com' };

    let db = openDatabase(file);
    expect(saveEnrolledKey(db, primary).ok).toBe(true);
    expect(saveEnrolledKey(db, yubikey).ok).toBe(true);
    expect(saveEnrolledKey(db, asad).ok).toBe(true);
    db.close();
    db = openDatabase(file);
    expect(listEnrolledKeys(db, 'taha@example.com')).toEqual([primary, yubikey]);
    expect(listEnrolledKeys(db)).toEqual([asad, primary, yubikey]);
    expect(listEnrolledKeys(db, 'nobody@example.com')).toEqual([]);
    // What comes back still verifies as what it is.
    expect(describeAuthenticator(listEnrolledKeys(db, 'taha@example.com')[1]!).label).toBe('hardware: YubiKey');
    db.close();
  });

  it('gives the virtual drill key its own slots: a drill primary does not block the real primary', async () => {
    const db = openDatabase(':memory:');
    const { service } = virtualSetup();
    const drillPrimary = await service.enrol({ operator: 'taha@example.com', label: 'primary' });
    service.close();
    expect(saveEnrolledKey(db, drillPrimary).ok).toBe(true);
    const realPrimary = { ...enrolledFrom(YUBIKEY_PACKED), operator: 'taha@example.com', label: 'primary' as const };
    expect(saveEnrolledKey(db, realPrimary).ok).toBe(true);
    expect(
      listEnrolledKeys(db, 'taha@example.com')
        .map((k) => describeAuthenticator(k).kind)
        .sort(),
    ).toEqual(['hardware', 'virtual']);
    expect(codeOf(saveEnrolledKey(db, { ...realPrimary, credential_id: 'BBBB' }))).toBe('already-enrolled');
  });

  it('refuses duplicates and bad input with a clear error, and loses nothing', async () => {
    const db = openDatabase(':memory:');
    const { service } = virtualSetup();
    const key = await service.enrol({ operator: 'taha@example.com', label: 'primary' });
    service.close();
    expect(saveEnrolledKey(db, key).ok).toBe(true);
    expect(codeOf(saveEnrolledKey(db, key))).toBe('already-enrolled');
    expect(codeOf(saveEnrolledKey(db, { ...key, credential_id: 'AAAA' }))).toBe('already-enrolled');
    const bad: Array<[string, object]> = [
      ['credential id', { credential_id: 'not base64url!' }],
      ['operator', { operator: '' }],
      ['label', { label: 'spare' }],
      ['rp', { rp_id: '' }],
      ['cose', { cose_public_key: Buffer.from('junk').toString('base64') }],
      ['aaguid', { aaguid: 'XYZ' }],
      ['cdh', { enrolment_client_data_hash: 'abc' }],
      ['authData', { enrolment_authenticator_data: '***' }],
      ['time', { enrolled_at: 'yesterday' }],
    ];
    for (const [name, change] of bad) {
      const saved = saveEnrolledKey(db, {
        ...key,
        operator: 'other@example.com',
        credential_id: 'BBBB',
        ...change,
      } as typeof key);
      expect(saved, name).toMatchObject({
        ok: false,
        error: { code: 'invalid-input', message: expect.stringMatching(/Nothing was saved/) },
      });
    }
    expect(listEnrolledKeys(db)).toEqual([key]);
    // The table itself refuses edits.
    expect(() => db.prepare("UPDATE enrolled_keys SET operator = 'x'").run()).toThrow(/cannot be edited/);
    db.close();
  });
});
