import { COMMANDS } from './commands/index';
import { startCli } from './start-cli';

startCli(COMMANDS);
