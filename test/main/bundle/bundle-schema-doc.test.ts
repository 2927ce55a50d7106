import { readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import { beforeAll, describe, expect, it } from 'vitest';
import { bundleJsonSchemaText } from '../../../src-shared/journal/bundle-json-schema';
import { bundleSchema } from '../../../src-shared/journal/bundle-schema';
import { cli } from '../../support/run-cli';

const ROOT = path.resolve(__dirname, '../../..');

const SCHEMA_FILE = path.join(ROOT, 'docs/bundle.schema.json');

describe('docs/bundle.schema.json is generated from the zod schema', () => {
  it('the committed file is byte for byte what `npm run schema` writes', () => {
    expect(
      readFileSync(SCHEMA_FILE, 'utf8'),
      'docs/bundle.schema.json is stale: run `npm run schema` and commit it',
    ).toBe(bundleJsonSchemaText());
  });
});

/** docs/bundle.schema.json is what reviewers read: it must accept and refuse what the verifier does. */
describe('docs/bundle.schema.json agrees with the verifier', () => {
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  const validate = ajv.compile(JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')));
  let bundle: Record<string, unknown>;

  beforeAll(async () => {
    const dir = (await import('node:fs')).mkdtempSync(path.join((await import('node:os')).tmpdir(), 'bg-schema-'));
    const r = await cli([
      'drill',
      '--data-dir',
      path.join(dir, 'd'),
      '--export',
      path.join(dir, 'o'),
      '--action',
      'ran: aws s3 ls',
    ]);
    bundle = JSON.parse(readFileSync(r.lastLine, 'utf8'));
  });

  it('both accept a real exported bundle', () => {
    expect(validate(bundle), JSON.stringify(validate.errors)).toBe(true);
    expect(bundleSchema.safeParse(bundle).success).toBe(true);
  });

  const variants: Array<[string, (b: Record<string, unknown>) => void]> = [
    ['an unknown top-level field', (b) => (b.extra = 1)],
    ['an unknown field in an entry', (b) => ((b.entries as Array<Record<string, unknown>>)[0]!.note = 'x')],
    ['a missing head', (b) => delete b.head],
    ['a wrong format version', (b) => (b.format_version = 1)],
    ['a checkpoint without signature', (b) => delete (b.checkpoints as Array<Record<string, unknown>>)[0]!.signature],
    ['a non-hex head hash', (b) => ((b.head as Record<string, unknown>).hash = 'Z'.repeat(64))],
    ['a key with an unknown label', (b) => ((b.keys as Array<Record<string, unknown>>)[0]!.label = 'spare')],
  ];
  it.each(variants)('both refuse %s', (_name, mutate) => {
    const copy = structuredClone(bundle);
    mutate(copy);
    expect(validate(copy)).toBe(false);
    expect(bundleSchema.safeParse(copy).success).toBe(false);
  });
});
