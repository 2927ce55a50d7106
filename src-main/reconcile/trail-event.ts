import { isRecord } from './read-json-file';

/**
 * One CloudTrail event with the fields the reconciler reads. The full record (request
 * parameters, response elements) is not kept: `detail()` parses it again from the input bytes,
 * which the reconciler does only for the few events of the session (see json-scan.ts on memory).
 */
export interface TrailEvent {
  eventId: string;
  eventName: string;
  eventSource: string;
  /** ISO 8601 UTC */
  eventTime: string;
  readOnly: boolean;
  identity: TrailIdentity;
  awsRegion?: string;
  errorCode?: string;
  sourceIPAddress?: string;
  /** Resource names CloudTrail attached (lookup-events `Resources`, a record's `resources` ARNs). */
  resources: string[];
  /** `Data` for data events (S3 objects, Lambda Invoke): lookup-events never has them. */
  category: string;
  /** Which input file it came from. */
  file: string;
  /** The whole CloudTrail record, parsed again on demand. */
  detail: () => Record<string, unknown>;
}

export interface TrailIdentity {
  type: string;
  arn: string;
  accountId: string;
  sessionIssuerArn?: string;
  /** The credential that signed the call: ASIA... (temporary) or AKIA... (long-term). */
  accessKeyId?: string;
  /** `sessionContext.assumedRoot`: a root task session from sts:AssumeRoot, not a console sign-in. */
  assumedRoot: boolean;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);

/** EventTime is ISO in `--output json` from CLI v2 but epoch seconds from v1 and some SDK dumps. */
export function toIso(v: unknown): string | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return new Date(v * 1000).toISOString();
  if (typeof v === 'string') {
    const t = /^\d+(\.\d+)?$/.test(v) ? Number(v) * 1000 : Date.parse(v);
    return Number.isNaN(t) ? undefined : new Date(t).toISOString();
  }
  return undefined;
}

/** What a lookup-events wrapper adds around the record (its own copies of a few fields). */
export interface LookupWrapper {
  EventId?: unknown;
  EventTime?: unknown;
  EventName?: unknown;
  EventSource?: unknown;
  ReadOnly?: unknown;
  Resources?: unknown;
}

/**
 * Lifts the light fields out of one CloudTrail record. Throws a plain message (the caller adds
 * file and position) when the record lacks what every CloudTrail event has.
 */
export function lightEvent(
  record: Record<string, unknown>,
  wrapper: LookupWrapper | undefined,
  file: string,
  detail: () => Record<string, unknown>,
): TrailEvent {
  const identity = isRecord(record.userIdentity) ? record.userIdentity : undefined;
  if (!identity) throw new Error('has no userIdentity');
  const eventId = str(record.eventID) ?? str(wrapper?.EventId);
  if (!eventId) throw new Error('has no eventID');
  const eventName = str(record.eventName) ?? str(wrapper?.EventName);
  const eventSource = str(record.eventSource) ?? str(wrapper?.EventSource);
  if (!eventName || !eventSource) throw new Error('has no eventName/eventSource');
  const eventTime = toIso(record.eventTime) ?? toIso(wrapper?.EventTime);
  if (!eventTime) throw new Error('has no valid eventTime');
  const ctx = isRecord(identity.sessionContext) ? identity.sessionContext : {};
  const issuer = isRecord(ctx.sessionIssuer) ? str(ctx.sessionIssuer.arn) : undefined;
  const resources: string[] = [];
  if (Array.isArray(wrapper?.Resources))
    for (const r of wrapper.Resources) if (isRecord(r) && str(r.ResourceName)) resources.push(r.ResourceName as string);
  if (Array.isArray(record.resources))
    for (const r of record.resources)
      if (isRecord(r) && str(r.ARN) && !resources.includes(r.ARN as string)) resources.push(r.ARN as string);
  const readOnly =
    typeof record.readOnly === 'boolean' ? record.readOnly : wrapper?.ReadOnly === 'true' || wrapper?.ReadOnly === true;
  const e: TrailEvent = {
    eventId,
    eventName,
    eventSource,
    eventTime,
    readOnly,
    identity: {
      type: str(identity.type) ?? 'Unknown',
      arn: str(identity.arn) ?? '',
      accountId: str(identity.accountId) ?? str(record.recipientAccountId) ?? '',
      assumedRoot: ctx.assumedRoot === 'true' || ctx.assumedRoot === true,
    },
    resources,
    category: str(record.eventCategory) ?? (record.managementEvent === false ? 'Data' : 'Management'),
    file,
    detail,
  };
  if (issuer) e.identity.sessionIssuerArn = issuer;
  const key = str(identity.accessKeyId);
  if (key) e.identity.accessKeyId = key;
  const region = str(record.awsRegion);
  if (region) e.awsRegion = region;
  const errorCode = str(record.errorCode);
  if (errorCode) e.errorCode = errorCode;
  const ip = str(record.sourceIPAddress);
  if (ip) e.sourceIPAddress = ip;
  return e;
}
