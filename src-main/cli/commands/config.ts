import path from 'node:path';
import { loadCliConfig } from '../load-cli-config';
import { defaultDataDir } from '../../data-dir';
import { EXIT_OK, defineCommand } from '../command';
import { CONFIG, DATA_DIR } from '../common-options';

export const configCommand = defineCommand({
  name: 'config',
  summary: 'Show which configuration is active (file or built-in example) and validate it, or --check a file.',
  options: {
    'data-dir': DATA_DIR,
    config: CONFIG,
    check: {
      type: 'string',
      value: 'FILE',
      help: 'validate this file instead (names the key and line of a mistake)',
      default: 'the active configuration',
    },
  },
  exitCodes: { 0: 'valid: prints what it configures' },
  example: 'breakglass config --check ./config.yaml',
  run({ values }, io) {
    const dataDir =
      typeof values['data-dir'] === 'string'
        ? path.resolve(values['data-dir'])
        : defaultDataDir(process.platform, io.env);
    const explicit =
      typeof values.check === 'string' ? values.check : typeof values.config === 'string' ? values.config : undefined;
    const loaded = loadCliConfig({ explicit, env: io.env, dataDir });
    const c = loaded.config;
    io.out(`active configuration: ${loaded.description}`);
    if (loaded.source.kind === 'example')
      io.out('  (copy assets/example-config.yaml to one of those paths, or pass --config FILE, to use your own)');
    io.out('valid: yes');
    io.out(`principals: ${c.principals.map((p) => `${p.name} <${p.id}>`).join(', ')}`);
    io.out(`founders to notify: ${c.founders.map((f) => `${f.name} (${f.channels.join('/')})`).join(', ')}`);
    io.out(`compliance liaison: ${c.compliance_liaison.name}`);
    io.out('accounts:');
    for (const a of c.accounts)
      io.out(`  ${a.name.padEnd(12)} ${a.account_id}  ${a.principal}  [credential: ${a.credential_location}]`);
    io.out(`SSO probe: profile ${c.sso.profile}, region ${c.sso.region}`);
    io.out(
      `MongoDB: ${c.mongodb.uri ? `${c.mongodb.uri.replace(/\/\/[^@/]*@/, '//')} / ${c.mongodb.database}` : `not configured (database ${c.mongodb.database})`}`,
    );
    io.out(`key RP id: ${c.keys.rp_id}`);
    if (c.breakglass_role)
      io.out(`breakglass role: ${c.breakglass_role.role_arn} (TTL ${c.breakglass_role.ttl_minutes} min)`);
    return EXIT_OK;
  },
});
