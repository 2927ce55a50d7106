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
/** Helpers that are no domain: below every domain folder, and like them never above it. */
export const HELPER_FOLDERS = ['config', 'aws', 'fs'];

/** What every file is held to; a block that sets no-restricted-syntax repeats these (rules replace, not merge). */
const BASE_SYNTAX = [
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
];

/**
 * no-restricted-imports sees only import and export declarations (and `import x = require()`):
 * these selectors hold `import()`, `require()` and `import('...').T` to the same paths
 * (a template literal by its text up to the first `${`). esquery reads a regex up to its first
 * slash, so a slash inside is written \x2F.
 */
function dynamicImportSelectors(regexes, message) {
  return regexes.flatMap((regex) => {
    const r = `/${regex.replaceAll('/', '\\x2F')}/`;
    return [
      `ImportExpression[source.value=${r}]`,
      `ImportExpression[source.quasis.0.value.raw=${r}]`,
      `CallExpression[callee.name='require'][arguments.0.value=${r}]`,
      `CallExpression[callee.name='require'][arguments.0.quasis.0.value.raw=${r}]`,
      `TSImportType[argument.literal.value=${r}]`,
    ].map((selector) => ({ selector, message }));
  });
}

/**
 * The config blocks of one folder of src-main, one per nesting depth (imports are relative):
 * no import of any kind whose path enters a forbidden folder or names a forbidden file.
 */
function zoneBlocks(folder, forbiddenFolders, message) {
  const blocks = [];
  for (let depth = 1; depth <= 3; depth++) {
    const up = `(?:\\.\\./){${depth}}`;
    const regexes = [`^${up}(?:${forbiddenFolders.join('|')})(?:/|$)`, `^${up}(?:${ABOVE_FILES.join('|')})(?:\\.ts)?$`];
    blocks.push({
      files: [`src-main/${folder}/${'*/'.repeat(depth - 1)}*.ts`],
      rules: {
        'no-restricted-imports': ['error', { patterns: regexes.map((regex) => ({ regex, message })) }],
        'no-restricted-syntax': ['error', ...BASE_SYNTAX, ...dynamicImportSelectors(regexes, message)],
      },
    });
  }
  return blocks;
}

/** One config block per domain, use-case and helper folder and nesting depth. No exceptions. */
function featureLayerBlocks() {
  const domains = Object.keys(DOMAIN_IMPORTS);
  const blocks = [];
  for (const [domain, allowed] of Object.entries(DOMAIN_IMPORTS)) {
    const forbidden = [...domains.filter((d) => d !== domain && !allowed.includes(d)), ...ABOVE_DOMAINS];
    const message = `src-main/${domain}/ may import only ${allowed.length ? allowed.map((d) => `${d}/`).join(', ') : 'no other domain folder'} (and src-shared, fs/, aws/, config/); never cli/, ipc/, use-cases/, services.ts or app.ts (eslint.config.js, DOMAIN_IMPORTS).`;
    blocks.push(...zoneBlocks(domain, forbidden, message));
  }
  // The use cases sit above every domain and below the ways in (CLI, IPC, the app's wiring).
  blocks.push(
    ...zoneBlocks(
      'use-cases',
      ['cli', 'ipc', 'preload'],
      'src-main/use-cases/ may import the domain folders, never cli/, ipc/, services.ts or app.ts (eslint.config.js).',
    ),
  );
  for (const helper of HELPER_FOLDERS)
    blocks.push(
      ...zoneBlocks(
        helper,
        ABOVE_DOMAINS,
        `src-main/${helper}/ is a helper below the domains: never cli/, ipc/, use-cases/, services.ts or app.ts (eslint.config.js, HELPER_FOLDERS).`,
      ),
    );
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
      'no-restricted-syntax': ['error', ...BASE_SYNTAX],
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
