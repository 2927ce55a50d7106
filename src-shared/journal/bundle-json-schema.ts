import * as z from 'zod';
import { bundleSchema, checkpointSchema, enrolledKeySchema, entrySchema, hex64, jsonValue } from './bundle-schema';
import { BUNDLE_FORMAT_VERSION } from './types';

/**
 * docs/bundle.schema.json, generated from the zod schema the verifier reads bundles with, so the
 * two cannot drift (`npm run schema` writes it; a test compares the committed bytes). What a
 * reviewer reads beside the rules (names of the shared parts, what a string holds) lives here, in
 * a registry of its own: the schema file stays plain zod, and toJSONSchema reads the registry
 * whether the schemas are zod's classic or mini flavour.
 */
type Meta = { id?: string; description?: string };

function reviewerNotes(): z.core.$ZodRegistry<Meta> {
  const notes = z.registry<Meta>();
  const top = bundleSchema.shape;
  const checkpoint = checkpointSchema.shape;
  notes.add(hex64, { id: 'hex64', description: 'SHA-256, 64 lowercase hex characters' });
  notes.add(jsonValue, {
    id: 'json_value',
    description: 'any JSON value (I-JSON: integers within +-(2^53 - 1), no lone surrogates)',
  });
  notes.add(entrySchema, {
    id: 'entry',
    description:
      'One journal entry; hash = SHA-256 of the RFC 8785 text of the other six members (docs/journal-format.md).',
  });
  notes.add(checkpointSchema, {
    id: 'checkpoint',
    description: 'A key tap that signed the journal head at the end of a step.',
  });
  notes.add(enrolledKeySchema, {
    id: 'key',
    description: 'A public key enrolled on the exporting laptop that signed at least one checkpoint.',
  });
  notes.add(top.exported_at, { description: 'UTC ISO 8601' });
  notes.add(top.drill, { description: 'true when the ceremony was a drill with the virtual key' });
  notes.add(top.head, { description: 'The last entry when exported; entries cut from the end are caught against it.' });
  notes.add(checkpoint.seq, { description: 'seq of the head entry this tap signed' });
  notes.add(checkpoint.credential_id, { description: 'base64url' });
  notes.add(checkpoint.authenticator_data, { description: 'base64' });
  notes.add(checkpoint.signature, { description: 'base64, DER ECDSA P-256/SHA-256' });
  notes.add(enrolledKeySchema.shape.cose_public_key, { description: 'base64 COSE_Key (ES256)' });
  return notes;
}

/** The JSON Schema (draft 2020-12) of a bundle of this format version. */
export function bundleJsonSchema(): Record<string, unknown> {
  const generated = z.toJSONSchema(bundleSchema, {
    target: 'draft-2020-12',
    metadata: reviewerNotes(),
    io: 'input',
    unrepresentable: 'throw',
  });
  const { $schema, ...rest } = generated;
  return {
    $schema,
    $id: `https://breakglass.invalid/schemas/bundle-v${BUNDLE_FORMAT_VERSION}.json`,
    title: `Breakglass ceremony bundle, format version ${BUNDLE_FORMAT_VERSION}`,
    description:
      'Self-contained export of one ceremony: journal entries, key-signed checkpoints and the public keys that signed them. ' +
      'Verify with `breakglass verify FILE`; see docs/journal-format.md for the hash and checkpoint definitions. ' +
      'Generated from src-shared/journal/bundle-schema.ts by `npm run schema`: do not edit by hand.',
    ...rest,
  };
}

/** The file's bytes: two-space JSON and a final newline. */
export function bundleJsonSchemaText(): string {
  return `${JSON.stringify(bundleJsonSchema(), null, 2)}\n`;
}
