// `breakglass <command> --help`, generated from the command's definition (cli/commands/*.ts):
// usage, every option with its default, the exit codes and an example. A new option or exit code
// shows up here without anyone editing this file.
import { exitCodesOf, formatUsage, optionFlag, type CliCommandDefinition, type CliOption } from './command';

/** What applies without the option: "required", "off", or the definition's words. */
export function defaultOf(o: CliOption): string {
  if (o.required) return 'required';
  if (o.type === 'boolean') return 'default: off';
  return `default: ${o.default ?? 'none'}`;
}

export function formatCommandHelp(command: CliCommandDefinition): string[] {
  const lines = [`usage: ${formatUsage(command)}`, '', command.summary];
  if (command.positionals?.length) {
    lines.push('', 'Arguments:');
    for (const p of command.positionals) {
      lines.push(`  ${p.name}`, `      ${p.help}`);
      const choices = Object.entries(p.choices ?? {});
      const width = Math.max(0, ...choices.map(([c]) => c.length));
      for (const [choice, meaning] of choices) lines.push(`        ${choice.padEnd(width)}  ${meaning}`);
    }
  }
  const options = Object.entries(command.options);
  if (options.length > 0) {
    lines.push('', 'Options:');
    for (const [name, o] of options) {
      lines.push(`  ${optionFlag(name, o)}${o.multiple ? ' (repeatable)' : ''}`, `      ${o.help} (${defaultOf(o)})`);
    }
  }
  lines.push('', 'Exit codes:');
  for (const [code, meaning] of exitCodesOf(command)) lines.push(`  ${String(code).padStart(2)}  ${meaning}`);
  if (command.notes?.length) lines.push('', ...command.notes);
  lines.push('', 'Example:', `  ${command.example}`);
  return lines;
}
