import { deserialize, serialize, type Document } from 'bson';

/** MongoDB wire protocol opcodes this server speaks (OP_COMPRESSED, 2012, is never negotiated). */
export const OP_REPLY = 1;
export const OP_QUERY = 2004;
export const OP_MSG = 2013;

const HEADER_BYTES = 16;
/** The server advertises 48 MB messages; anything bigger is a broken peer, not a request. */
export const MAX_MESSAGE_BYTES = 48_000_000 + HEADER_BYTES;

const FLAG_CHECKSUM_PRESENT = 1 << 0;
export const FLAG_MORE_TO_COME = 1 << 1;

export interface WireRequest {
  requestId: number;
  opCode: number;
  /** The command document, with OP_MSG kind-1 sequences folded in under their identifiers. */
  command: Document;
  /** OP_MSG moreToCome: the client expects no reply. */
  moreToCome: boolean;
}

export class WireProtocolError extends Error {}

/**
 * Splits whole messages off the front of `buffer`. Returns the messages and the unread rest;
 * a partial message stays in the rest until more bytes arrive.
 */
export function takeMessages(buffer: Buffer): { messages: Buffer[]; rest: Buffer } {
  const messages: Buffer[] = [];
  let offset = 0;
  // Bounded: every iteration consumes at least HEADER_BYTES or stops.
  while (buffer.length - offset >= 4) {
    const length = buffer.readInt32LE(offset);
    if (length < HEADER_BYTES || length > MAX_MESSAGE_BYTES)
      throw new WireProtocolError(`invalid message length ${length}`);
    if (buffer.length - offset < length) break;
    messages.push(buffer.subarray(offset, offset + length));
    offset += length;
  }
  return { messages, rest: buffer.subarray(offset) };
}

export function parseRequest(message: Buffer): WireRequest {
  const requestId = message.readInt32LE(4);
  const opCode = message.readInt32LE(12);
  if (opCode === OP_MSG) return { requestId, opCode, ...parseOpMsg(message) };
  if (opCode === OP_QUERY) return { requestId, opCode, command: parseOpQuery(message), moreToCome: false };
  throw new WireProtocolError(`unsupported opCode ${opCode}`);
}

function parseOpMsg(message: Buffer): { command: Document; moreToCome: boolean } {
  const flags = message.readUInt32LE(HEADER_BYTES);
  const end = flags & FLAG_CHECKSUM_PRESENT ? message.length - 4 : message.length;
  let offset = HEADER_BYTES + 4;
  let body: Document | undefined;
  const sequences: Record<string, Document[]> = {};
  while (offset < end) {
    const kind = message.readUInt8(offset);
    offset += 1;
    if (kind === 0) {
      const size = message.readInt32LE(offset);
      body = deserialize(message.subarray(offset, offset + size));
      offset += size;
    } else if (kind === 1) {
      const size = message.readInt32LE(offset);
      const sectionEnd = offset + size;
      const nameEnd = message.indexOf(0, offset + 4);
      if (nameEnd < 0 || nameEnd >= sectionEnd)
        throw new WireProtocolError('unterminated document sequence identifier');
      const identifier = message.toString('utf8', offset + 4, nameEnd);
      const docs: Document[] = [];
      let p = nameEnd + 1;
      while (p < sectionEnd) {
        const docSize = message.readInt32LE(p);
        if (docSize < 5) throw new WireProtocolError('invalid document size in sequence');
        docs.push(deserialize(message.subarray(p, p + docSize)));
        p += docSize;
      }
      sequences[identifier] = docs;
      offset = sectionEnd;
    } else {
      throw new WireProtocolError(`unknown OP_MSG section kind ${kind}`);
    }
  }
  if (!body) throw new WireProtocolError('OP_MSG without a body section');
  return { command: { ...body, ...sequences }, moreToCome: (flags & FLAG_MORE_TO_COME) !== 0 };
}

function parseOpQuery(message: Buffer): Document {
  const nameEnd = message.indexOf(0, HEADER_BYTES + 4);
  if (nameEnd < 0) throw new WireProtocolError('unterminated collection name');
  const collection = message.toString('utf8', HEADER_BYTES + 4, nameEnd);
  const docStart = nameEnd + 1 + 8;
  const size = message.readInt32LE(docStart);
  const query = deserialize(message.subarray(docStart, docStart + size));
  // Legacy drivers wrap the command with read preference as { $query: {...}, $readPreference }.
  const command = typeof query.$query === 'object' && query.$query !== null ? (query.$query as Document) : query;
  return { ...command, $db: collection.split('.')[0] ?? 'admin' };
}

let nextResponseId = 1;

function header(length: number, responseTo: number, opCode: number): Buffer {
  const h = Buffer.alloc(HEADER_BYTES);
  h.writeInt32LE(length, 0);
  h.writeInt32LE(nextResponseId++ & 0x7fffffff, 4);
  h.writeInt32LE(responseTo, 8);
  h.writeInt32LE(opCode, 12);
  return h;
}

export function encodeOpMsg(responseTo: number, doc: Document): Buffer {
  const body = serialize(doc);
  const length = HEADER_BYTES + 4 + 1 + body.length;
  const flagsAndKind = Buffer.alloc(5);
  return Buffer.concat([header(length, responseTo, OP_MSG), flagsAndKind, body]);
}

export function encodeOpReply(responseTo: number, doc: Document): Buffer {
  const body = serialize(doc);
  const fixed = Buffer.alloc(20);
  fixed.writeInt32LE(0, 0); // responseFlags
  fixed.writeBigInt64LE(0n, 4); // cursorID
  fixed.writeInt32LE(0, 12); // startingFrom
  fixed.writeInt32LE(1, 16); // numberReturned
  return Buffer.concat([header(HEADER_BYTES + fixed.length + body.length, responseTo, OP_REPLY), fixed, body]);
}

export function encodeReply(request: WireRequest, doc: Document): Buffer {
  return request.opCode === OP_QUERY ? encodeOpReply(request.requestId, doc) : encodeOpMsg(request.requestId, doc);
}
