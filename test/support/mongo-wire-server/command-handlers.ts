import { Long, ObjectId, type Document } from 'bson';
import { DocumentStore, DuplicateKeyError, sortDocuments } from './document-store';
import { matchesFilter, UnsupportedQueryError } from './match-filter';

export interface ServerBehaviour {
  /** 'replica-set' reports a primary of set `setName`; 'standalone' reports a lone mongod. */
  topology: 'replica-set' | 'standalone';
  setName: string;
  /** 'refuse': writes with w:'majority' are applied but answered with UnknownReplWriteConcern (79). */
  majority: 'accept' | 'refuse';
  /** Reported in hello; the mongodb 7 driver needs at least 9 (server 4.4). */
  maxWireVersion: number;
}

interface OpenCursor {
  ns: string;
  docs: Document[];
  position: number;
}

export interface CommandContext {
  store: DocumentStore;
  behaviour: ServerBehaviour;
  address: string;
  connectionId: number;
  cursors: Map<number, OpenCursor>;
  nextCursorId: () => number;
}

const ELECTION_ID = new ObjectId('7fffffff0000000000000001');
const DEFAULT_FIRST_BATCH = 101;
const MAX_GETMORE_BATCH = 1000;

export function commandNameOf(command: Document): string {
  const first = Object.keys(command).find((k) => !k.startsWith('$')) ?? '';
  const lower = first.toLowerCase();
  return lower === 'ismaster' ? 'hello' : lower === 'buildinfo' ? 'buildInfo' : first;
}

function fail(code: number, codeName: string, errmsg: string): Document {
  return { ok: 0, code, codeName, errmsg };
}

function namespace(command: Document, name: string): string {
  return `${String(command.$db ?? 'test')}.${String(command[name])}`;
}

export function helloReply(ctx: CommandContext, command: Document): Document {
  const reply: Document = {
    helloOk: true,
    ismaster: true,
    isWritablePrimary: true,
    maxBsonObjectSize: 16 * 1024 * 1024,
    maxMessageSizeBytes: 48_000_000,
    maxWriteBatchSize: 100_000,
    localTime: new Date(),
    logicalSessionTimeoutMinutes: 30,
    connectionId: ctx.connectionId,
    minWireVersion: 0,
    maxWireVersion: ctx.behaviour.maxWireVersion,
    readOnly: false,
  };
  if (ctx.behaviour.topology === 'replica-set') {
    Object.assign(reply, {
      setName: ctx.behaviour.setName,
      setVersion: 1,
      hosts: [ctx.address],
      primary: ctx.address,
      me: ctx.address,
      electionId: ELECTION_ID,
    });
  }
  if (typeof command.saslSupportedMechs === 'string') reply.saslSupportedMechs = ['SCRAM-SHA-256', 'SCRAM-SHA-1'];
  return { ...reply, ok: 1 };
}

function cursorReply(
  ctx: CommandContext,
  ns: string,
  docs: Document[],
  firstBatchSize: number,
  singleBatch: boolean,
): Document {
  const firstBatch = docs.slice(0, firstBatchSize);
  let id = 0;
  if (!singleBatch && docs.length > firstBatch.length) {
    id = ctx.nextCursorId();
    ctx.cursors.set(id, { ns, docs, position: firstBatch.length });
  }
  return { cursor: { firstBatch, id: Long.fromNumber(id), ns }, ok: 1 };
}

function writeConcernFor(ctx: CommandContext, command: Document): Document | undefined {
  const wc = command.writeConcern as Document | undefined;
  if (ctx.behaviour.majority === 'refuse' && wc?.w === 'majority') {
    return {
      code: 79,
      codeName: 'UnknownReplWriteConcern',
      errmsg: "No write concern mode named 'majority' found in replica set configuration",
    };
  }
  return undefined;
}

function insert(ctx: CommandContext, command: Document): Document {
  const ns = namespace(command, 'insert');
  const docs = (command.documents as Document[] | undefined) ?? [];
  const ordered = command.ordered !== false;
  const writeErrors: Document[] = [];
  let n = 0;
  for (let i = 0; i < docs.length; i++) {
    try {
      ctx.store.insert(ns, docs[i]!);
      n += 1;
    } catch (error) {
      if (!(error instanceof DuplicateKeyError)) throw error;
      writeErrors.push({
        index: i,
        code: 11000,
        codeName: 'DuplicateKey',
        errmsg: error.message,
        keyPattern: { _id: 1 },
        keyValue: { _id: docs[i]!._id },
      });
      if (ordered) break;
    }
  }
  const reply: Document = { n, ok: 1 };
  if (writeErrors.length > 0) reply.writeErrors = writeErrors;
  const wce = writeConcernFor(ctx, command);
  if (wce) reply.writeConcernError = wce;
  return reply;
}

function applyUpdate(doc: Document, update: Document): Document {
  const keys = Object.keys(update);
  if (keys.length > 0 && keys.every((k) => !k.startsWith('$'))) return { ...update, _id: doc._id };
  const next = structuredClone(doc);
  for (const [op, fields] of Object.entries(update)) {
    if (op !== '$set' && op !== '$unset') throw new UnsupportedQueryError(`unsupported update operator ${op}`);
    for (const [path, value] of Object.entries(fields as Document)) {
      const parts = path.split('.');
      let target: Document = next;
      for (const p of parts.slice(0, -1)) {
        if (target[p] === null || typeof target[p] !== 'object') target[p] = {};
        target = target[p] as Document;
      }
      const last = parts[parts.length - 1]!;
      if (op === '$set') target[last] = value;
      else delete target[last];
    }
  }
  return next;
}

function update(ctx: CommandContext, command: Document): Document {
  const ns = namespace(command, 'update');
  let n = 0;
  let nModified = 0;
  const upserted: Document[] = [];
  ((command.updates as Document[] | undefined) ?? []).forEach((u, index) => {
    const matches = ctx.store.find(ns, u.q as Document);
    const targets = u.multi ? matches : matches.slice(0, 1);
    for (const doc of targets) {
      ctx.store.put(ns, applyUpdate(doc, u.u as Document));
      n += 1;
      nModified += 1;
    }
    if (targets.length === 0 && u.upsert) {
      const base = Object.fromEntries(
        Object.entries((u.q as Document) ?? {}).filter(
          ([k, v]) => !k.startsWith('$') && (v === null || typeof v !== 'object' || v instanceof ObjectId),
        ),
      );
      const doc = applyUpdate({ _id: base._id ?? new ObjectId(), ...base }, u.u as Document);
      ctx.store.insert(ns, doc);
      upserted.push({ index, _id: doc._id });
      n += 1;
    }
  });
  const reply: Document = { n, nModified, ok: 1 };
  if (upserted.length > 0) reply.upserted = upserted;
  const wce = writeConcernFor(ctx, command);
  if (wce) reply.writeConcernError = wce;
  return reply;
}

function remove(ctx: CommandContext, command: Document): Document {
  const ns = namespace(command, 'delete');
  let n = 0;
  for (const d of (command.deletes as Document[] | undefined) ?? []) {
    const matches = ctx.store.find(ns, d.q as Document);
    for (const doc of d.limit === 1 ? matches.slice(0, 1) : matches) {
      if (ctx.store.remove(ns, doc._id)) n += 1;
    }
  }
  return { n, ok: 1 };
}

function find(ctx: CommandContext, command: Document): Document {
  const ns = namespace(command, 'find');
  const projection = command.projection as Document | undefined;
  if (projection && Object.keys(projection).length > 0)
    throw new UnsupportedQueryError('projection is not supported by the test server');
  let docs = ctx.store.find(ns, command.filter as Document | undefined, command.sort as Document | undefined);
  const skip = Number(command.skip ?? 0);
  const limit = Math.abs(Number(command.limit ?? 0));
  if (skip > 0) docs = docs.slice(skip);
  if (limit > 0) docs = docs.slice(0, limit);
  const batchSize = command.batchSize === undefined ? DEFAULT_FIRST_BATCH : Number(command.batchSize);
  return cursorReply(ctx, ns, docs, batchSize === 0 ? 0 : batchSize, command.singleBatch === true);
}

function getMore(ctx: CommandContext, command: Document): Document {
  const id = Number(command.getMore);
  const cursor = ctx.cursors.get(id);
  if (!cursor) return fail(43, 'CursorNotFound', `cursor id ${id} not found`);
  const size = Math.min(Number(command.batchSize ?? MAX_GETMORE_BATCH) || MAX_GETMORE_BATCH, MAX_GETMORE_BATCH);
  const nextBatch = cursor.docs.slice(cursor.position, cursor.position + size);
  cursor.position += nextBatch.length;
  const done = cursor.position >= cursor.docs.length;
  if (done) ctx.cursors.delete(id);
  return { cursor: { nextBatch, id: Long.fromNumber(done ? 0 : id), ns: cursor.ns }, ok: 1 };
}

function killCursors(ctx: CommandContext, command: Document): Document {
  const killed: Long[] = [];
  const notFound: Long[] = [];
  for (const raw of (command.cursors as unknown[] | undefined) ?? []) {
    const id = Number(raw);
    (ctx.cursors.delete(id) ? killed : notFound).push(Long.fromNumber(id));
  }
  return { cursorsKilled: killed, cursorsNotFound: notFound, cursorsAlive: [], cursorsUnknown: [], ok: 1 };
}

/** Enough of the aggregation pipeline for countDocuments: $match, $sort, $skip, $limit, $group-count, $count. */
function aggregate(ctx: CommandContext, command: Document): Document {
  const ns = namespace(command, 'aggregate');
  let docs = ctx.store.all(ns);
  for (const stage of (command.pipeline as Document[] | undefined) ?? []) {
    const [op, arg] = Object.entries(stage)[0] ?? [];
    if (op === '$match') docs = docs.filter((d) => matchesFilter(d, arg as Document));
    else if (op === '$skip') docs = docs.slice(Number(arg));
    else if (op === '$limit') docs = docs.slice(0, Number(arg));
    else if (op === '$sort') docs = sortDocuments([...docs], arg as Document);
    else if (op === '$count') docs = docs.length > 0 ? [{ [String(arg)]: docs.length }] : [];
    else if (op === '$group') {
      const group = arg as Document;
      const outputs = Object.entries(group).filter(([k]) => k !== '_id');
      if (!outputs.every(([, v]) => (v as Document).$sum === 1))
        throw new UnsupportedQueryError('only {$sum: 1} groups are supported');
      docs = docs.length > 0 ? [{ _id: group._id, ...Object.fromEntries(outputs.map(([k]) => [k, docs.length])) }] : [];
    } else throw new UnsupportedQueryError(`unsupported pipeline stage ${String(op)}`);
  }
  return cursorReply(
    ctx,
    ns,
    docs,
    Number((command.cursor as Document | undefined)?.batchSize ?? DEFAULT_FIRST_BATCH),
    false,
  );
}

function createIndexes(ctx: CommandContext, command: Document): Document {
  const ns = namespace(command, 'createIndexes');
  const existing = ctx.store.indexes.get(ns) ?? [];
  const before = existing.length + 1;
  for (const index of (command.indexes as Document[] | undefined) ?? []) {
    if (!existing.some((e) => e.name === index.name)) existing.push({ v: 2, ...index });
  }
  ctx.store.indexes.set(ns, existing);
  return {
    createdCollectionAutomatically: false,
    numIndexesBefore: before,
    numIndexesAfter: existing.length + 1,
    ok: 1,
  };
}

function listIndexes(ctx: CommandContext, command: Document): Document {
  const ns = namespace(command, 'listIndexes');
  const indexes = [{ v: 2, key: { _id: 1 }, name: '_id_' }, ...(ctx.store.indexes.get(ns) ?? [])];
  return cursorReply(ctx, ns, indexes, DEFAULT_FIRST_BATCH, false);
}

function drop(ctx: CommandContext, command: Document): Document {
  const ns = namespace(command, 'drop');
  ctx.store.drop(ns);
  return { ns, nIndexesWas: 1, ok: 1 };
}

/** Runs one command against the store; never throws (errors become { ok: 0 } replies). */
export function runCommand(ctx: CommandContext, command: Document): Document {
  const name = commandNameOf(command);
  try {
    switch (name) {
      case 'hello':
        return helloReply(ctx, command);
      case 'ping':
      case 'endSessions':
        return { ok: 1 };
      case 'buildInfo':
        return { version: '7.0.0', versionArray: [7, 0, 0, 0], maxBsonObjectSize: 16 * 1024 * 1024, ok: 1 };
      // No SCRAM here: any authentication attempt fails the way a wrong password does.
      case 'saslStart':
      case 'saslContinue':
      case 'authenticate':
        return fail(18, 'AuthenticationFailed', 'Authentication failed.');
      case 'insert':
        return insert(ctx, command);
      case 'update':
        return update(ctx, command);
      case 'delete':
        return remove(ctx, command);
      case 'find':
        return find(ctx, command);
      case 'getMore':
        return getMore(ctx, command);
      case 'killCursors':
        return killCursors(ctx, command);
      case 'aggregate':
        return aggregate(ctx, command);
      case 'createIndexes':
        return createIndexes(ctx, command);
      case 'listIndexes':
        return listIndexes(ctx, command);
      case 'drop':
        return drop(ctx, command);
      default:
        return fail(59, 'CommandNotFound', `no such command: '${name}'`);
    }
  } catch (error) {
    if (error instanceof UnsupportedQueryError) return fail(2, 'BadValue', error.message);
    return fail(8000, 'InternalError', `test server: ${(error as Error).message}`);
  }
}
