// Layering is enforced here as well as by the per-area tsconfig projects:
// src-shared is pure TypeScript, the renderer only reaches main through the preload bridge.
import js from '@eslint/js';
import { builtinModules } from 'node:module';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** Every Node built-in by its bare name ('fs', 'fs/promises', ...): the node: prefix is a pattern below. */
const nodeBuiltins = (message) => builtinModules.filter((name) => !name.startsWith('_')).map((name) => ({ name, message }));

const mainImports = {
  group: ['**/src-main', '**/src-main/**', '../src-main/*', '../../src-main/*'],
  message: 'Only src-main may import src-main. Use the preload bridge / src-shared contract instead.',
};

/**
 * Feature layers inside src-main. Each domain folder may import src-shared, the helpers that are
 * no domain (fs/, aws/, config/, data-dir.ts, ...) and the domain folders listed for it, all below
 * it: so no two domain folders import each other, and none imports the CLI, the IPC layer, the
 * use cases, services.ts or app.ts, which sit above them all.
 */
export const DOMAIN_IMPORTS = {
  db: [],
  journal: ['db'],
  'hardware-key': ['db', 'journal'],
  evidence: ['journal', 'hardware-key'],
  bundle: ['db', 'journal', 'hardware-key', 'evidence'],
  reconcile: ['db', 'journal', 'hardware-key', 'evidence', 'bundle'],
  sync: ['db', 'journal'],
  ceremony: ['db', 'journal', 'hardware-key', 'evidence', 'bundle'],
};
const ABOVE_DOMAINS = ['cli', 'ipc', 'use-cases', 'preload'];
const ABOVE_FILES = ['services', 'app'];

/**
 * Imports that break the layers today, each named with why and where it goes. A test
 * (test/build/layering.test.ts) fails when one of them is no longer there, so the list only shrinks.
 */
export const LAYER_EXCEPTIONS = [
  // Export writes the bundle, the session log and the postmortem: a use case above bundle/ and
  // reconcile/, headed for src-main/use-cases/ once the bundle rewrite (issue 12) has settled.
  { file: 'src-main/bundle/export-ceremony.ts', imports: '../reconcile/postmortem' },
  { file: 'src-main/bundle/export-ceremony.ts', imports: '../reconcile/reconciliation-types' },
  // CLI error types and exit codes in domain code: they move to cli/ (issues 13 and 14).
  { file: 'src-main/reconcile/input-error.ts', imports: '../cli/command' },
  { file: 'src-main/reconcile/attach-reconciliation.ts', imports: '../cli/command' },
  { file: 'src-main/sync/cli-support.ts', imports: '../cli/command' },
];

const escapeRegex = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** One config block per domain folder and nesting depth (imports are relative), plus one per excepted file. */
function featureLayerBlocks() {
  const domains = Object.keys(DOMAIN_IMPORTS);
  const excepted = [...new Set(LAYER_EXCEPTIONS.map((e) => e.file))];
  const blocks = [];
  for (const [domain, allowed] of Object.entries(DOMAIN_IMPORTS)) {
    const forbidden = [...domains.filter((d) => d !== domain && !allowed.includes(d)), ...ABOVE_DOMAINS];
    const message = `src-main/${domain}/ may import only ${allowed.length ? allowed.map((d) => `${d}/`).join(', ') : 'no other domain folder'} (and src-shared, fs/, aws/, config/); never cli/, ipc/, use-cases/, services.ts or app.ts (eslint.config.js, DOMAIN_IMPORTS).`;
    const patterns = (depth, keep) => {
      const up = `(?:\\.\\./){${depth}}`;
      const unless = keep.length ? `(?!(?:${keep.map(escapeRegex).join('|')})$)` : '';
      return [
        { regex: `^${unless}${up}(?:${forbidden.join('|')})(?:/|$)`, message },
        { regex: `^${up}(?:${ABOVE_FILES.join('|')})(?:\\.ts)?$`, message },
      ];
    };
    for (let depth = 1; depth <= 3; depth++) {
      const files = [`src-main/${domain}/${'*/'.repeat(depth - 1)}*.ts`];
      blocks.push({ files, ignores: excepted, rules: { 'no-restricted-imports': ['error', { patterns: patterns(depth, []) }] } });
    }
    for (const file of excepted.filter((f) => f.startsWith(`src-main/${domain}/`))) {
      const depth = file.split('/').length - 2;
      const keep = LAYER_EXCEPTIONS.filter((e) => e.file === file).map((e) => e.imports);
      blocks.push({ files: [file], rules: { 'no-restricted-imports': ['error', { patterns: patterns(depth, keep) }] } });
    }
  }
  return blocks;
}

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'out/**', 'release/**', 'test-results/**', 'bench/results/**', '.tmp/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': [
        'error',
        { selector: "CallExpression[callee.object.name=/^(it|test|describe)$/][callee.property.name='only']", message: 'No focused tests.' },
        // A value `import { z }` binds zod's whole namespace as one value: esbuild then keeps all
        // of zod, its 40-odd locales too, in every bundle (dist/cli-verify.cjs grew by 540 KB).
        { selector: "ImportDeclaration[source.value='zod'][importKind!='type'] > ImportSpecifier[imported.name='z'][importKind!='type']", message: "Write `import * as z from 'zod'`: a named z keeps all of zod in the bundle." },
      ],
    },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['src-shared/**/*.ts'],
    languageOptions: { globals: {} },
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          mainImports,
          { group: ['node:*'], message: 'src-shared is pure TypeScript: no Node built-ins.' },
          { group: ['electron', 'electron/*'], message: 'src-shared must not import electron.' },
          { group: ['react', 'react-dom', 'react/*'], message: 'src-shared has no UI.' },
        ],
        paths: nodeBuiltins('src-shared is pure TypeScript: no Node built-ins.'),
      }],
    },
  },
  {
    files: ['src-renderer/**/*.ts', 'src-renderer/**/*.tsx'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          // Not even types: what the renderer knows of main is the src-shared contract.
          mainImports,
          { group: ['node:*'], message: 'The renderer has no Node.' },
          { group: ['electron', 'electron/*'], message: 'The renderer talks to main only through window.api.' },
        ],
        paths: nodeBuiltins('The renderer has no Node.'),
      }],
    },
  },
  {
    files: ['src-main/preload/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{ regex: '^\\.\\./(?!\\.\\./src-shared/)', message: 'The preload may import only electron and src-shared.' }],
      }],
    },
  },
  ...featureLayerBlocks(),
);
