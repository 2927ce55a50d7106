// First: it must run before any schema is built (see the file).
import './zod-jitless';
import { verifyCommand } from './commands/verify';
import { startCli } from './start-cli';

// `breakglass verify` alone (bin/breakglass.cjs picks this entry for it): a reviewer's one command
// starts without compiling the rest of the CLI (bench/evidence.bench.ts measures the start-up).
startCli([verifyCommand]);
