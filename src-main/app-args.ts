import { parseArgs } from 'node:util';

export interface AppArgs {
  dataDir?: string;
  drill: boolean;
  config?: string;
}

/** Command-line switches of the app itself (`npm start -- --data-dir DIR --drill`). */
export function parseAppArgs(argv: readonly string[]): AppArgs {
  const { values } = parseArgs({
    args: [...argv],
    options: { 'data-dir': { type: 'string' }, drill: { type: 'boolean', default: false }, config: { type: 'string' } },
    strict: false,
    allowPositionals: true,
  });
  return {
    dataDir: typeof values['data-dir'] === 'string' ? values['data-dir'] : undefined,
    drill: values.drill === true,
    config: typeof values.config === 'string' ? values.config : undefined,
  };
}
