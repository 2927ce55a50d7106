import { describe, expect, it } from 'vitest';
import { useTempDir } from '../../support/temp-dir';
import { SSO_DOWN, makeService, manualClock, softwareSigner } from './service-fixture';

/** The ceremony service's refusals: a code for the program, the field by its argument path. */
describe('ceremony service refusals carry code and field', () => {
  const tempDir = useTempDir();

  it('names the argument each refusal is about, from the IPC arguments to the rules', async () => {
    const clock = manualClock();
    const { service, journal } = makeService(tempDir(), { clock, signer: softwareSigner().signer });
    try {
      expect(await service.start({ type: 'root-login', drill: false, operator_id: 'eve@example.com' })).toMatchObject({
        ok: false,
        error: { code: 'not-authorised', field: 'operator_id' },
      });
      expect(
        await service.start({ type: 'breakglass-role', drill: false, linked_ceremony_id: 'bg-20260101-00000000' }),
      ).toMatchObject({ ok: false, error: { code: 'not-found', field: 'linked_ceremony_id' } });
      const started = await service.start({ type: 'root-login', drill: false });
      if (!started.ok) throw new Error(started.error.message);
      const id = started.value.ceremony_id;
      // The schema (every field at once), the scenario's own evidence rules, a rule beyond both.
      expect(await service.command(id, 'add_note', { text: 42 })).toMatchObject({
        ok: false,
        error: { code: 'invalid-input', field: 'text', fields: { text: 'expected text' } },
      });
      expect(
        await service.selectScenario(id, { ...SSO_DOWN, evidence: { ...SSO_DOWN.evidence, region: 'moon-1' } }),
      ).toMatchObject({
        ok: false,
        error: {
          code: 'invalid-input',
          field: 'evidence.region',
          fields: { 'evidence.region': 'expected an AWS region such as us-east-1' },
        },
      });
      expect(await service.addNote(id, { text: 'see the entry after this one', refers_to_seq: 7 })).toMatchObject({
        ok: false,
        error: { code: 'invalid-input', field: 'refers_to_seq' },
      });
      // Out of order is about the call, not a field.
      const early = await service.recordSignIn(id, { ip_address: 'unknown' });
      expect(early).toMatchObject({ ok: false, error: { code: 'out-of-order' } });
      expect(!early.ok && early.error.field).toBeUndefined();
      expect(journal.entries(id).map((e) => e.kind)).toEqual(['ceremony_started']);
    } finally {
      journal.close();
    }
  });
});
