import { describe, expect, it } from 'vitest';
import { decideEnrolmentSlot } from '../../../src-main/hardware-key/enrolment/enrolment-slot';
import { VIRTUAL_AAGUID_HEX } from '../../../src-main/webauthn/virtual-marks';
import { enrolledFrom, YUBIKEY_FIDO_U2F, YUBIKEY_PACKED } from './fixtures/yubikey-attestations';

const TAHA = 'taha@example.com';
const realPrimary = { ...enrolledFrom(YUBIKEY_PACKED), operator: TAHA, label: 'primary' as const };
const realBackup = { ...enrolledFrom(YUBIKEY_FIDO_U2F), operator: TAHA, label: 'backup' as const };
const drillPrimary = { ...realPrimary, credential_id: 'DRILL1', aaguid: VIRTUAL_AAGUID_HEX };

describe('the enrolment slot rule (app, CLI, store and drills all ask it)', () => {
  it('keeps real and drill slots apart, in both directions', () => {
    expect(decideEnrolmentSlot([drillPrimary], { operator: TAHA, label: 'primary', drill: false })).toEqual({
      ok: true,
      value: true,
    });
    // A drill in a journal whose operator already has both real keys still gets its own key.
    expect(decideEnrolmentSlot([realPrimary, realBackup], { operator: TAHA, label: 'primary', drill: true })).toEqual({
      ok: true,
      value: true,
    });
  });

  it('refuses a filled slot, naming it, and only for that operator', () => {
    expect(decideEnrolmentSlot([realPrimary], { operator: TAHA, label: 'primary', drill: false })).toMatchObject({
      ok: false,
      error: {
        code: 'already-enrolled',
        field: 'label',
        message: expect.stringMatching(/^taha@example\.com already has a primary key enrolled\./),
      },
    });
    expect(decideEnrolmentSlot([drillPrimary], { operator: TAHA, label: 'primary', drill: true })).toMatchObject({
      ok: false,
      error: { message: expect.stringMatching(/already has a drill primary key/) },
    });
    expect(
      decideEnrolmentSlot([realPrimary], { operator: 'asad@example.com', label: 'primary', drill: false }),
    ).toEqual({ ok: true, value: true });
    expect(decideEnrolmentSlot([realPrimary], { operator: TAHA, label: 'backup', drill: false })).toEqual({
      ok: true,
      value: true,
    });
  });
});
