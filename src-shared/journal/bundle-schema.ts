import * as z from 'zod';
import { BUNDLE_FORMAT, BUNDLE_FORMAT_VERSION } from './types';

/**
 * Structural schema of an exported bundle; docs/bundle.schema.json, for reviewers, is generated
 * from it (bundle-json-schema.ts, `npm run schema`). Structure only: whether the contents are
 * intact is the verifier's job, which reports the first bad seq rather than a schema error.
 */
export const hex64 = z.string().regex(/^[0-9a-f]{64}$/, 'expected 64 lowercase hex characters');
export const jsonValue: z.ZodType<unknown> = z.lazy(() =>
  z.union([z.null(), z.boolean(), z.number(), z.string(), z.array(jsonValue), z.record(z.string(), jsonValue)]),
);

export const entrySchema = z.strictObject({
  ceremony_id: z.string(),
  seq: z.number().int().nonnegative(),
  kind: z.string(),
  payload: z.record(z.string(), jsonValue),
  recorded_at: z.string(),
  prev_hash: z.string(),
  hash: z.string(),
});

export const checkpointSchema = z.strictObject({
  ceremony_id: z.string(),
  seq: z.number().int().nonnegative(),
  head_hash: hex64,
  step: z.string().min(1),
  client_data_hash: hex64,
  credential_id: z.string().min(1),
  authenticator_data: z.string().min(1),
  signature: z.string().min(1),
  sign_count: z.number().int().nonnegative(),
  created_at: z.string(),
});

export const enrolledKeySchema = z.strictObject({
  credential_id: z.string().min(1),
  operator: z.string(),
  label: z.enum(['primary', 'backup']),
  rp_id: z.string().min(1),
  cose_public_key: z.string().min(1),
  aaguid: z.string(),
  fmt: z.string(),
  att_stmt: z
    .strictObject({ alg: z.number().optional(), sig: z.string().optional(), x5c: z.array(z.string()).optional() })
    .nullable(),
  enrolment_authenticator_data: z.string().nullable(),
  enrolment_client_data_hash: z.string().nullable(),
  enrolled_at: z.string(),
});

export const bundleSchema = z.strictObject({
  format: z.literal(BUNDLE_FORMAT),
  format_version: z.literal(BUNDLE_FORMAT_VERSION),
  ceremony_id: z.string().min(1),
  exported_at: z.string(),
  drill: z.boolean(),
  head: z.strictObject({ seq: z.number().int().nonnegative(), hash: hex64 }),
  entries: z.array(entrySchema),
  checkpoints: z.array(checkpointSchema),
  keys: z.array(enrolledKeySchema),
});
