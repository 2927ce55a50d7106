import type { JsonObject } from '../../src-shared/canonical-json';
import type { JournalEntry } from '../../src-shared/journal/types';
import { declaredResources } from '../../src-shared/aws/declared-resources';
import { parseAwsCommands } from '../../src-shared/aws/parse-cli-line';
import type { DeclaredAction } from './ceremony-facts';

const str = (o: JsonObject, k: string) => (typeof o[k] === 'string' ? (o[k] as string) : undefined);

/**
 * The calls one `action_logged` entry declares, read again from its text with today's parser so
 * that resources and region are known and event names follow the current table. An entry whose
 * text no longer parses keeps the calls the ceremony stored (without resources: matched by name).
 */
export function declaredCalls(x: JournalEntry): DeclaredAction[] {
  const text = str(x.payload, 'text') ?? '';
  const base = { seq: x.seq, text, logged_at: str(x.payload, 'logged_at') ?? x.recorded_at };
  const commands = parseAwsCommands(text);
  if (commands.length > 0) {
    return commands.flatMap((c) => {
      const resources = declaredResources(c);
      const many = c.cliService === 's3' && (c.cliOperation === 'sync' || c.args.includes('--recursive'));
      return c.actions.map((a) => {
        const d: DeclaredAction = {
          ...base,
          service: a.service,
          operation: a.operation,
          iam_action: a.iam_action,
          event_source: a.event_source,
          read_only: a.read_only,
          resources,
          many,
        };
        if (c.region) d.region = c.region;
        return d;
      });
    });
  }
  const parsed = Array.isArray(x.payload.parsed) ? x.payload.parsed : [];
  return parsed.flatMap((p) => {
    if (p === null || typeof p !== 'object' || Array.isArray(p)) return [];
    const service = str(p, 'service');
    const operation = str(p, 'operation');
    const eventSource = str(p, 'event_source');
    if (!service || !operation || !eventSource) return [];
    return [
      {
        ...base,
        service,
        operation,
        iam_action: str(p, 'iam_action') ?? `${service}:${operation}`,
        event_source: eventSource,
        read_only: p.read_only === true,
        resources: [],
        many: false,
      },
    ];
  });
}
