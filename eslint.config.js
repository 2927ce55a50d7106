// Layering is enforced here as well as by the per-area tsconfig projects:
// src-shared is pure TypeScript, the renderer only reaches main through the preload bridge.
import js from '@eslint/js';
import { builtinModules } from 'node:module';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** Every Node built-in by its bare name ('fs', 'fs/promises', ...): the node: prefix is a pattern below. */
const nodeBuiltins = (message) =>
  builtinModules.filter((name) => !name.startsWith('_')).map((name) => ({ name, message }));

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
  // WebAuthn data and signatures, checked offline: no device, so the verifier can trust it.
  webauthn: [],
  'hardware-key': ['db', 'journal', 'webauthn'],
  // The offline verifier never reaches for device code.
  evidence: ['journal', 'webauthn'],
  bundle: ['db', 'journal', 'webauthn', 'hardware-key', 'evidence'],
  reconcile: ['db', 'journal', 'webauthn', 'hardware-key', 'evidence', 'bundle'],
  sync: ['db', 'journal'],
  ceremony: ['db', 'journal', 'webauthn', 'hardware-key', 'evidence', 'bundle'],
};
const ABOVE_DOMAINS = ['cli', 'ipc', 'use-cases', 'preload'];
const ABOVE_FILES = ['services', 'app'];

/** One config block per domain folder and nesting depth (imports are relative). No exceptions. */
function featureLayerBlocks() {
  const domains = Object.keys(DOMAIN_IMPORTS);
  const blocks = [];
  for (const [domain, allowed] of Object.entries(DOMAIN_IMPORTS)) {
    const forbidden = [...domains.filter((d) => d !== domain && !allowed.includes(d)), ...ABOVE_DOMAINS];
    const message = `src-main/${domain}/ may import only ${allowed.length ? allowed.map((d) => `${d}/`).join(', ') : 'no other domain folder'} (and src-shared, fs/, aws/, config/); never cli/, ipc/, use-cases/, services.ts or app.ts (eslint.config.js, DOMAIN_IMPORTS).`;
    const patterns = (depth) => {
      const up = `(?:\\.\\./){${depth}}`;
      return [
        { regex: `^${up}(?:${forbidden.join('|')})(?:/|$)`, message },
        { regex: `^${up}(?:${ABOVE_FILES.join('|')})(?:\\.ts)?$`, message },
      ];
    };
    for (let depth = 1; depth <= 3; depth++) {
      const files = [`src-main/${domain}/${'*/'.repeat(depth - 1)}*.ts`];
      blocks.push({ files, rules: { 'no-restricted-imports': ['error', { patterns: patterns(depth) }] } });
    }
  }
  // The use cases sit above every domain and below the ways in (CLI, IPC, the app's wiring).
  const useCaseMessage =
    'src-main/use-cases/ may import the domain folders, never cli/, ipc/, services.ts or app.ts (eslint.config.js).';
  blocks.push({
    files: ['src-main/use-cases/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { regex: '^\\.\\./(?:cli|ipc|preload)(?:/|$)', message: useCaseMessage },
            { regex: `^\\.\\./(?:${ABOVE_FILES.join('|')})(?:\\.ts)?$`, message: useCaseMessage },
          ],
        },
      ],
    },
  });
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
        {
          selector: "CallExpression[callee.object.name=/^(it|test|describe)$/][callee.property.name='only']",
          message: 'No focused tests.',
        },
        // A value `import { z }` binds zod's whole namespace as one value: esbuild then keeps all
        // of zod, its 40-odd locales too, in every bundle (dist/cli-verify.cjs grew by 540 KB).
        {
          selector:
            "ImportDeclaration[source.value='zod'][importKind!='type'] > ImportSpecifier[imported.name='z'][importKind!='type']",
          message: "Write `import * as z from 'zod'`: a named z keeps all of zod in the bundle.",
        },
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
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            mainImports,
            { group: ['node:*'], message: 'src-shared is pure TypeScript: no Node built-ins.' },
            { group: ['electron', 'electron/*'], message: 'src-shared must not import electron.' },
            { group: ['react', 'react-dom', 'react/*'], message: 'src-shared has no UI.' },
          ],
          paths: nodeBuiltins('src-shared is pure TypeScript: no Node built-ins.'),
        },
      ],
    },
  },
  {
    files: ['src-renderer/**/*.ts', 'src-renderer/**/*.tsx'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            // Not even types: what the renderer knows of main is the src-shared contract.
            mainImports,
            { group: ['node:*'], message: 'The renderer has no Node.' },
            { group: ['electron', 'electron/*'], message: 'The renderer talks to main only through window.api.' },
          ],
          paths: nodeBuiltins('The renderer has no Node.'),
        },
      ],
    },
  },
  {
    files: ['src-main/preload/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^\\.\\./(?!\\.\\./src-shared/)',
              message: 'The preload may import only electron and src-shared.',
            },
          ],
        },
      ],
    },
  },
  ...featureLayerBlocks(),
);
