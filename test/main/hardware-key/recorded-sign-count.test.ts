import { describe, expect, it } from 'vitest';
import { saveEnrolledKey } from '../../../src-main/hardware-key/enrolment/enrolment-store';
import { recordedSignCount } from '../../../src-main/hardware-key/enrolment/recorded-sign-count';
import { openJournal } from '../../../src-main/journal/journal';
import { useTempDir } from '../../support/temp-dir';
import { challenge, virtualSetup } from './helpers';

describe('the signature counter the journal has recorded for a key', () => {
  const tempDir = useTempDir();

  it("is the enrolment's counter before any checkpoint, and nothing for a key that showed none", async () => {
    const journal = openJournal({ dataDir: tempDir() });
    const { service } = virtualSetup();
    try {
      await service.enrol({ operator: 'asad@example.com', label: 'primary' }); // moves the key's global counter
      const key = await service.enrol({ operator: 'taha@example.com', label: 'primary' });
      saveEnrolledKey(journal.db, key);
      const enrolledAt = Buffer.from(key.enrolment_authenticator_data!, 'base64').readUInt32BE(33);
      expect(enrolledAt).toBeGreaterThan(1);
      expect(recordedSignCount(journal.db, key)).toBe(enrolledAt);
      expect(recordedSignCount(journal.db, { ...key, enrolment_authenticator_data: null })).toBeUndefined();
      // A tap the journal never recorded (no checkpoint) does not count.
      await service.tap({ clientDataHash: challenge(1), allow: [key] });
      expect(recordedSignCount(journal.db, key)).toBe(enrolledAt);
    } finally {
      service.close();
      journal.close();
    }
  });
});
