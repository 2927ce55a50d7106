// `npm run schema`: writes docs/bundle.schema.json from the zod schema the verifier reads bundles
// with (src-shared/journal/bundle-json-schema.ts). test/main/bundle/bundle-schema-doc.test.ts
// fails when the committed file is not what this writes.
import { buildSync } from 'esbuild';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
// The TypeScript module, bundled in memory (zod included) and imported from a data: URL.
const { outputFiles } = buildSync({
  entryPoints: [path.join(root, 'src-shared/journal/bundle-json-schema.ts')],
  bundle: true,
  write: false,
  platform: 'neutral',
  format: 'esm',
  logLevel: 'error',
});
const { bundleJsonSchemaText } = await import(
  `data:text/javascript;base64,${Buffer.from(outputFiles[0].text).toString('base64')}`
);
const file = path.join(root, 'docs/bundle.schema.json');
writeFileSync(file, bundleJsonSchemaText());
process.stdout.write(`wrote ${path.relative(root, file)}\n`);
