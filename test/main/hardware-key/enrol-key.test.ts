import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src-main/db/open-database';
import { enrolOperatorKey } from '../../../src-main/hardware-key/enrolment/enrol-key';
import { listEnrolledKeys } from '../../../src-main/hardware-key/enrolment/enrolment-store';
import { KeyError } from '../../../src-main/webauthn/key-error';
import { useTempDir } from '../../support/temp-dir';
import { virtualSetup } from './helpers';

const TAHA = 'taha@example.com';

/** Enrolment as the app and the CLI ask for it: refusals are values with the key layer's code. */
describe('enrolOperatorKey', () => {
  const tempDir = useTempDir();

  it('enrols, then refuses the taken slot naming the label, and the same key as backup by its code', async () => {
    const db = openDatabase(path.join(tempDir(), 'journal.sqlite3'));
    const { service } = virtualSetup();
    try {
      const first = await enrolOperatorKey(db, service, { operator: TAHA, label: 'primary', drill: true });
      expect(first).toMatchObject({ ok: true, value: { operator: TAHA, label: 'primary' } });
      expect(await enrolOperatorKey(db, service, { operator: TAHA, label: 'primary', drill: true })).toMatchObject({
        ok: false,
        error: {
          code: 'already-enrolled',
          field: 'label',
          message: expect.stringMatching(/already has a drill primary key/),
        },
      });
      // The authenticator's own refusal (excludeList): a KeyError below, a refusal here, no field.
      const backup = await enrolOperatorKey(db, service, { operator: TAHA, label: 'backup', drill: true });
      expect(backup).toMatchObject({
        ok: false,
        error: { code: 'already-enrolled', message: expect.stringMatching(/already enrolled/) },
      });
      expect(!backup.ok && backup.error.field).toBeUndefined();
      expect(listEnrolledKeys(db, TAHA)).toHaveLength(1);
    } finally {
      service.close();
      db.close();
    }
  });

  it('passes a key failure on with its code, and lets a bug throw', async () => {
    const db = openDatabase(path.join(tempDir(), 'journal.sqlite3'));
    try {
      const untouched = {
        enrol: () =>
          Promise.reject(new KeyError('not-touched', 'The key was not touched in time. Nothing was enrolled.')),
      };
      expect(await enrolOperatorKey(db, untouched, { operator: TAHA, label: 'primary', drill: false })).toEqual({
        ok: false,
        error: { code: 'not-touched', message: 'The key was not touched in time. Nothing was enrolled.' },
      });
      const bug = { enrol: () => Promise.reject(new TypeError('cannot read properties of undefined')) };
      await expect(enrolOperatorKey(db, bug, { operator: TAHA, label: 'primary', drill: false })).rejects.toThrow(
        TypeError,
      );
      expect(listEnrolledKeys(db, TAHA)).toEqual([]);
    } finally {
      db.close();
    }
  });
});
