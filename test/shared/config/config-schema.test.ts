import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { COMMAND_ARGS } from '../../../src-shared/ceremony/commands';
import { ENTRY_SCHEMAS } from '../../../src-shared/ceremony/entry-kinds';
import { SCENARIOS } from '../../../src-shared/ceremony/scenarios';
import { EXAMPLE_CONFIG } from '../../../src-shared/config/example-config';
import { formatIssues } from '../../../src-shared/config/format-issues';
import { configSchema } from '../../../src-shared/config/schema';

const root = path.resolve(__dirname, '../../..');

/** Every object key a zod schema can accept, walked through wrappers, arrays, unions and records. */
function keysOf(schema: z.ZodType, out = new Set<string>(), seen = new Set<unknown>()): Set<string> {
  if (seen.has(schema)) return out;
  seen.add(schema);
  const def = (schema as unknown as { _zod: { def: Record<string, unknown> } })._zod.def;
  const visit = (s: unknown) => s && typeof s === 'object' && '_zod' in s && keysOf(s as z.ZodType, out, seen);
  if (def.type === 'object') {
    for (const [k, v] of Object.entries(def.shape as Record<string, unknown>)) {
      out.add(k);
      visit(v);
    }
  }
  for (const key of ['innerType', 'element', 'valueType', 'in', 'out', 'schema']) visit(def[key]);
  for (const o of (def.options as unknown[] | undefined) ?? []) visit(o);
  if (def.left) visit(def.left);
  if (def.right) visit(def.right);
  return out;
}

const SECRET_KEY = /pass(word)?|secret|mfa|otp|totp|token|access_?key|private/i;

describe('configuration schema', () => {
  it('the example configuration reproduces the runbook tables', () => {
    const c = configSchema.parse(EXAMPLE_CONFIG);
    expect(c.accounts.map((a) => [a.name, a.account_id])).toEqual([
      ['Management', '778477254880'],
      ['Production', '039624954211'],
      ['Staging', '549136075525'],
      ['Log-archive', '754660694122'],
    ]);
    expect(c.accounts.every((a) => a.credential_location === "Taha's password manager + offline backup")).toBe(true);
    expect(c.principals.map((p) => p.name)).toEqual(['Taha']);
    expect(c.founders.map((f) => f.name)).toEqual(['Asad', 'Ian']);
    expect(c.compliance_liaison.name).toBe('Asad');
  });

  it('assets/example-config.yaml holds exactly the built-in example', () => {
    const fromFile = configSchema.parse(parse(readFileSync(path.join(root, 'assets/example-config.yaml'), 'utf8')));
    expect(fromFile).toEqual(configSchema.parse(EXAMPLE_CONFIG));
  });

  it('no schema has a field for a password, an MFA code or a secret, and unknown keys are refused', () => {
    const schemas: Array<[string, z.ZodType]> = [
      ['config', configSchema],
      ...Object.entries(ENTRY_SCHEMAS).map(([k, s]) => [`entry ${k}`, s as z.ZodType] as [string, z.ZodType]),
      ...Object.entries(COMMAND_ARGS).map(([k, s]) => [`command ${k}`, s as z.ZodType] as [string, z.ZodType]),
      ...SCENARIOS.map((s) => [`scenario ${s.id}`, s.evidence] as [string, z.ZodType]),
    ];
    let checked = 0;
    for (const [name, schema] of schemas) {
      for (const key of keysOf(schema)) {
        checked++;
        // assume_role_output is the one place a secret passes through, in memory; test: assume-role-output.test.ts
        if (name === 'command record_role_session' && key === 'assume_role_output') continue;
        expect(SECRET_KEY.test(key) ? `${name}.${key}` : 'clean').toBe('clean');
      }
    }
    expect(checked).toBeGreaterThan(100); // the walker really walked
    const withPassword = { ...EXAMPLE_CONFIG, accounts: [{ ...EXAMPLE_CONFIG.accounts[0]!, password: 'x' }] };
    const r = configSchema.safeParse(withPassword);
    expect(r.success).toBe(false);
    expect(formatIssues(r.error!.issues)).toEqual([
      'accounts[0]: unknown key "password" (not part of the configuration; it never holds passwords or MFA codes)',
    ]);
    expect(
      ENTRY_SCHEMAS.signed_in.safeParse({
        signed_in_at: '2026-05-20T13:00:00Z',
        ip_address: 'x',
        user_agent: 'y',
        mfa_code: '123456',
      }).success,
    ).toBe(false);
  });

  it('names the key and what was expected', () => {
    const bad = {
      ...EXAMPLE_CONFIG,
      accounts: [EXAMPLE_CONFIG.accounts[0]!, { ...EXAMPLE_CONFIG.accounts[1]!, account_id: 39624954211 }],
      sso: { profile: 'x', region: 'nowhere' },
    };
    const r = configSchema.safeParse(bad);
    expect(formatIssues(r.error!.issues)).toEqual([
      'accounts[1].account_id: expected a 12-digit AWS account id in quotes (YAML drops leading zeros from numbers)',
      'sso.region: expected an AWS region such as us-east-1',
    ]);
    const dup = configSchema.safeParse({
      ...EXAMPLE_CONFIG,
      accounts: [EXAMPLE_CONFIG.accounts[0]!, EXAMPLE_CONFIG.accounts[0]!],
    });
    expect(formatIssues(dup.error!.issues)).toContain(
      'accounts[1].name: duplicate name "management" (also at accounts[0])',
    );
    const uri = configSchema.safeParse({ ...EXAMPLE_CONFIG, mongodb: { uri: 'postgres://db', database: 'x' } });
    expect(formatIssues(uri.error!.issues)[0]).toBe('mongodb.uri: expected a mongodb:// or mongodb+srv:// URI');
  });
});
