import { describe, expect, it } from 'vitest';
import type { Genuine } from './fixture';
import { resignedVerdict } from './fast-path-oracle';
import { useGenuineCeremony } from './forge-helpers';

/*
 * Found while red-teaming the verifier's fast path: the rules replay checks each command's order,
 * and the entry schema admits any scenario id, so a history signed by a patched app (the laptop's
 * owner is not trusted, docs/threat-model.md) claiming a scenario the runbook does not authorise,
 * or one of the other ceremony type, verified INTACT, witness codes and all: the app refuses both.
 */

const P0_EVIDENCE = {
  incident_ref: 'INC-2026-05-20-001',
  blocker: 'standard platform role lacks iam:UpdateAssumeRolePolicy on IRSA roles',
  approver: 'alice@example.com',
  cleanup_owner: 'bob@example.com',
};

let g: Genuine;
useGenuineCeremony((genuine) => (g = genuine));

describe('a signed scenario the app would have refused', () => {
  const cases: Array<[string, string]> = [
    ['made-up', 'seq 1: unknown scenario "made-up"'],
    ['p0-role', 'is a breakglass-role scenario; this is a root-login ceremony'],
  ];
  for (const [id, reason] of cases)
    it(`"${id}" in a root-login ceremony is RULES BROKEN`, () => {
      const v = resignedVerdict(g, (b) => {
        const scenario = b.entries.find((e) => e.kind === 'scenario_selected')!;
        // The other scenario's own form filled in, so only the scenario itself is wrong.
        const evidence = id === 'p0-role' ? P0_EVIDENCE : scenario.payload.evidence!;
        scenario.payload = { ...scenario.payload, scenario_id: id, evidence };
      });
      expect(v.verdict).toBe('RULES BROKEN');
      expect(v.findings).toStrictEqual([{ verdict: 'RULES BROKEN', seq: 1, reason: expect.stringContaining(reason) }]);
    });

  it('the genuine scenario, re-signed the same way, stays INTACT', () => {
    expect(resignedVerdict(g, () => {})).toStrictEqual({ verdict: 'INTACT', findings: [] });
  });
});
