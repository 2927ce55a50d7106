import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Document } from 'bson';
import { commandNameOf, runCommand, type CommandContext, type ServerBehaviour } from './command-handlers';
import { DocumentStore } from './document-store';
import { FaultPlan, type Fault } from './fault-plan';
import { encodeReply, OP_MSG, parseRequest, takeMessages, type WireRequest } from './wire-codec';

export interface MongoWireServerOptions extends Partial<ServerBehaviour> {
  /** The server closes itself after this long even if a test forgets (default 10 minutes). */
  maxLifetimeMs?: number;
  /** Share a store between servers (e.g. a server "restarted" after an outage). */
  store?: DocumentStore;
  /** Listen on this port (e.g. to come back where a stopped server was); default: any free port. */
  port?: number;
  /**
   * Called once a hang or trickle fault has applied its command and started to withhold the reply:
   * from here only a client-side deadline ends the round trip, so a test can fire that deadline
   * on this event instead of waiting for a clock.
   */
  onStall?: (command: string) => void;
}

export interface MongoWireServer {
  readonly host: string;
  readonly port: number;
  /** mongodb://127.0.0.1:<port>/ (no credentials) */
  readonly uri: string;
  readonly store: DocumentStore;
  readonly faults: FaultPlan;
  /** Commands received, by name (after the handshake's isMaster is folded into hello). */
  readonly commandCounts: Map<string, number>;
  connectionCount(): number;
  /** Stops accepting, closes every connection. Idempotent. */
  stop(): Promise<void>;
  /** Settles once the server has stopped, by stop() or at the end of its lifetime. */
  readonly closed: Promise<void>;
}

/**
 * A correctly framed reply to `requestId` whose body is not BSON: the client reads a whole
 * message and then fails to make sense of it, as with a broken proxy or the wrong service.
 */
function garbageReply(requestId: number): Buffer {
  const body = Buffer.from('\u0000\u0017\u0000\u0000\u0000\u00ffnot bson at all\u0000\u0000', 'latin1');
  const header = Buffer.alloc(16);
  header.writeInt32LE(16 + 4 + body.length, 0);
  header.writeInt32LE(1, 4);
  header.writeInt32LE(requestId, 8);
  header.writeInt32LE(OP_MSG, 12);
  return Buffer.concat([header, Buffer.alloc(4), body]);
}

function untilClosed(socket: net.Socket): Promise<void> {
  return socket.destroyed ? Promise.resolve() : new Promise((resolve) => socket.once('close', () => resolve()));
}

/**
 * A MongoDB wire-protocol server on loopback for tests: OP_MSG (and the legacy OP_QUERY
 * handshake) over TCP, an in-memory store, and a fault plan that makes it misbehave on demand.
 */
export async function startMongoWireServer(options: MongoWireServerOptions = {}): Promise<MongoWireServer> {
  const behaviour: ServerBehaviour = {
    topology: options.topology ?? 'replica-set',
    setName: options.setName ?? 'rs0',
    majority: options.majority ?? 'accept',
    maxWireVersion: options.maxWireVersion ?? 21,
  };
  const store = options.store ?? new DocumentStore();
  const faults = new FaultPlan();
  const commandCounts = new Map<string, number>();
  const sockets = new Set<net.Socket>();
  const cursors = new Map<number, { ns: string; docs: Document[]; position: number }>();
  let cursorCounter = 1000;
  let connectionCounter = 0;
  let stopped = false;

  const server = net.createServer((socket) => {
    if (stopped) {
      socket.destroy();
      return;
    }
    sockets.add(socket);
    socket.setNoDelay(true);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    const ctx: CommandContext = {
      store,
      behaviour,
      address: `127.0.0.1:${port}`,
      connectionId: ++connectionCounter,
      cursors,
      nextCursorId: () => ++cursorCounter,
    };
    let pending: Buffer = Buffer.alloc(0);
    // One request at a time per connection, in arrival order, as a mongod does.
    let chain: Promise<void> = Promise.resolve();
    socket.on('data', (chunk: Buffer) => {
      pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
      let messages: Buffer[];
      try {
        ({ messages, rest: pending } = takeMessages(pending));
      } catch {
        socket.destroy();
        return;
      }
      for (const message of messages) chain = chain.then(() => handle(socket, ctx, message));
    });
  });

  async function handle(socket: net.Socket, ctx: CommandContext, message: Buffer): Promise<void> {
    if (socket.destroyed) return;
    let request: WireRequest;
    try {
      request = parseRequest(message);
    } catch {
      socket.destroy();
      return;
    }
    const name = commandNameOf(request.command);
    commandCounts.set(name, (commandCounts.get(name) ?? 0) + 1);
    const fault = faults.pick(name);
    if (fault) {
      await applyFault(socket, ctx, request, fault);
      return;
    }
    reply(socket, request, runCommand(ctx, request.command));
  }

  function reply(socket: net.Socket, request: WireRequest, doc: Document): void {
    if (request.moreToCome || socket.destroyed) return;
    socket.write(encodeReply(request, doc));
  }

  async function applyFault(
    socket: net.Socket,
    ctx: CommandContext,
    request: WireRequest,
    fault: Fault,
  ): Promise<void> {
    switch (fault.kind) {
      case 'drop-before':
        socket.destroy();
        return;
      case 'drop-after':
        runCommand(ctx, request.command);
        socket.destroy();
        return;
      case 'delay': {
        const result = runCommand(ctx, request.command);
        await (fault.release ?? sleep(fault.delayMs ?? 100));
        reply(socket, request, result);
        return;
      }
      case 'write-concern-error': {
        const result = runCommand(ctx, request.command);
        const code = fault.code ?? 64;
        reply(socket, request, {
          ...result,
          writeConcernError: {
            code,
            codeName: code === 64 ? 'WriteConcernFailed' : 'WriteConcernError',
            errmsg: 'waiting for replication timed out',
            errInfo: { wtimeout: true },
          },
        });
        return;
      }
      case 'duplicate-key': {
        const ns = `${String(request.command.$db)}.${String(request.command.insert)}`;
        const docs = (request.command.documents as Document[] | undefined) ?? [];
        for (const doc of docs.slice(0, Math.ceil(docs.length / 2))) {
          if (!store.has(ns, doc._id)) store.insert(ns, doc);
        }
        reply(socket, request, runCommand(ctx, request.command));
        return;
      }
      case 'not-primary':
        // Like a 4.4+ mongod, the server labels it retryable; the driver then retries once by itself.
        reply(socket, request, {
          ok: 0,
          code: 10107,
          codeName: 'NotWritablePrimary',
          errmsg: 'not primary',
          errorLabels: ['RetryableWriteError'],
        });
        return;
      case 'auth-failure':
        reply(socket, request, { ok: 0, code: 18, codeName: 'AuthenticationFailed', errmsg: 'Authentication failed.' });
        return;
      case 'garbage':
        socket.write(garbageReply(request.requestId));
        return;
      case 'ack-nothing':
        reply(
          socket,
          request,
          commandNameOf(request.command) === 'insert' ? { n: 0, ok: 1 } : runCommand(ctx, request.command),
        );
        return;
      case 'trickle': {
        // The header promises a 16 MiB reply; its bytes then come one at a time for as long as the
        // connection stays open: only a client-side deadline ends this, by closing.
        const bytes = Buffer.from(encodeReply(request, runCommand(ctx, request.command)));
        bytes.writeInt32LE(16 * 1024 * 1024, 0);
        socket.write(bytes.subarray(0, 1));
        options.onStall?.(commandNameOf(request.command));
        for (let i = 1; !socket.destroyed; i++) {
          await sleep(fault.delayMs ?? 50);
          if (!socket.destroyed) socket.write(i < bytes.length ? bytes.subarray(i, i + 1) : Buffer.alloc(1));
        }
        return;
      }
      case 'hang':
        runCommand(ctx, request.command);
        options.onStall?.(commandNameOf(request.command));
        await untilClosed(socket);
        return;
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('wire server did not get a TCP port');
  const port = address.port;

  let markClosed: () => void = () => undefined;
  const closed = new Promise<void>((resolve) => (markClosed = resolve));
  async function stop(): Promise<void> {
    if (stopped) return closed;
    stopped = true;
    clearTimeout(lifetime);
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    markClosed();
  }
  const lifetime = setTimeout(() => void stop(), options.maxLifetimeMs ?? 10 * 60_000);
  lifetime.unref();

  return {
    host: '127.0.0.1',
    port,
    uri: `mongodb://127.0.0.1:${port}/`,
    store,
    faults,
    commandCounts,
    connectionCount: () => sockets.size,
    stop,
    closed,
  };
}
