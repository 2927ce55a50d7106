import { ReconcileInputError } from './input-error';
import { isRecord, type JsonFile } from './read-json-file';

/** One CloudTrail event, with the fields the reconciler reads lifted out of `CloudTrailEvent`. */
export interface TrailEvent {
  eventId: string;
  eventName: string;
  eventSource: string;
  /** ISO 8601 UTC */
  eventTime: string;
  readOnly: boolean;
  identity: { type: string; arn: string; accountId: string; sessionIssuerArn?: string };
  requestParameters: Record<string, unknown>;
  responseElements: Record<string, unknown>;
  errorCode?: string;
  sourceIPAddress?: string;
  resources: Array<{ type: string; name: string }>;
  /** Which input file it came from. */
  file: string;
}

export interface CloudTrailFile {
  file: string;
  sha256: string;
  events: TrailEvent[];
  /** lookup-events stopped early (NextToken present): events may be missing. */
  truncated: boolean;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);

/** EventTime is ISO in `--output json` from CLI v2 but epoch seconds from v1 and some SDK dumps. */
function toIso(v: unknown): string | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return new Date(v * 1000).toISOString();
  if (typeof v === 'string') {
    const t = /^\d+(\.\d+)?$/.test(v) ? Number(v) * 1000 : Date.parse(v);
    return Number.isNaN(t) ? undefined : new Date(t).toISOString();
  }
  return undefined;
}

function parseEvent(raw: unknown, index: number, file: string): TrailEvent {
  const where = (problem: string) => new ReconcileInputError(file, `Events[${index}]${isRecord(raw) && str(raw.EventId) ? ` (EventId ${String(raw.EventId)})` : ''}: ${problem}`);
  if (!isRecord(raw)) throw where('is not an object');
  const eventId = str(raw.EventId);
  if (!eventId) throw where('has no EventId');
  const embedded = str(raw.CloudTrailEvent);
  if (!embedded) throw where('has no CloudTrailEvent string (was the file produced with --query? the reconciler needs the full --output json)');
  let detail: unknown;
  try {
    detail = JSON.parse(embedded);
  } catch (error) {
    throw where(`CloudTrailEvent is not valid JSON (${(error as Error).message})`);
  }
  if (!isRecord(detail)) throw where('CloudTrailEvent is not a JSON object');
  const identity = isRecord(detail.userIdentity) ? detail.userIdentity : undefined;
  if (!identity) throw where('CloudTrailEvent has no userIdentity');
  const eventName = str(detail.eventName) ?? str(raw.EventName);
  const eventSource = str(detail.eventSource) ?? str(raw.EventSource);
  const eventTime = toIso(detail.eventTime) ?? toIso(raw.EventTime);
  if (!eventName || !eventSource) throw where('has no eventName/eventSource');
  if (!eventTime) throw where(`EventTime ${JSON.stringify(raw.EventTime)} is not a time`);
  const sessionIssuer = isRecord(identity.sessionContext) && isRecord(identity.sessionContext.sessionIssuer) ? str(identity.sessionContext.sessionIssuer.arn) : undefined;
  const readOnly = typeof detail.readOnly === 'boolean' ? detail.readOnly : raw.ReadOnly === 'true' || raw.ReadOnly === true;
  const event: TrailEvent = {
    eventId,
    eventName,
    eventSource,
    eventTime,
    readOnly,
    identity: { type: str(identity.type) ?? 'Unknown', arn: str(identity.arn) ?? '', accountId: str(identity.accountId) ?? str(detail.recipientAccountId) ?? '' },
    requestParameters: isRecord(detail.requestParameters) ? detail.requestParameters : {},
    responseElements: isRecord(detail.responseElements) ? detail.responseElements : {},
    resources: Array.isArray(raw.Resources)
      ? raw.Resources.filter(isRecord).map((r) => ({ type: str(r.ResourceType) ?? '', name: str(r.ResourceName) ?? '' }))
      : [],
    file,
  };
  if (sessionIssuer) event.identity.sessionIssuerArn = sessionIssuer;
  const errorCode = str(detail.errorCode);
  if (errorCode) event.errorCode = errorCode;
  const ip = str(detail.sourceIPAddress);
  if (ip) event.sourceIPAddress = ip;
  return event;
}

/** Parses the output of `aws cloudtrail lookup-events --output json`. Rejects anything else whole. */
export function parseCloudTrailFile(input: JsonFile): CloudTrailFile {
  const { file, json } = input;
  if (!isRecord(json) || !Array.isArray(json.Events)) {
    throw new ReconcileInputError(file, 'not the output of `aws cloudtrail lookup-events --output json`: expected an object with an "Events" array');
  }
  return { file, sha256: input.sha256, events: json.Events.map((e, i) => parseEvent(e, i, file)), truncated: typeof json.NextToken === 'string' && json.NextToken.length > 0 };
}
