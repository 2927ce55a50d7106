import net from 'node:net';
import { MongoClient } from 'mongodb';
import { serialize } from 'bson';
import { describe, expect, it } from 'vitest';
import { matchesFilter } from '../../support/mongo-wire-server/match-filter';
import { takeMessages, WireProtocolError } from '../../support/mongo-wire-server/wire-codec';
import { useWireServers } from './fixtures/sync-harness';

const wire = useWireServers();

describe('the MongoDB wire-protocol test server', () => {
  it('serves the real driver: handshake, insert, find with getMore, killCursors, countDocuments, indexes', async () => {
    const server = await wire.start({ topology: 'standalone' });
    const client = new MongoClient(server.uri, { serverSelectionTimeoutMS: 1000 });
    try {
      const coll = client.db('t').collection<{ _id: number; n: number; tag?: string }>('c');
      await coll.insertMany(Array.from({ length: 250 }, (_, i) => ({ _id: i, n: i % 10 })));
      expect(await coll.find({}).toArray()).toHaveLength(250); // 101 + getMore
      expect(server.commandCounts.get('getMore')).toBeGreaterThanOrEqual(1);
      const cursor = coll.find({ n: { $gte: 5 } }).batchSize(3);
      await cursor.next();
      await cursor.close(); // killCursors
      expect(server.commandCounts.get('killCursors')).toBe(1);
      expect(await coll.countDocuments({ n: { $in: [1, 2] } })).toBe(50);
      await coll.updateOne({ _id: 7 }, { $set: { tag: 'x' } });
      expect(await coll.findOne({ _id: 7 })).toEqual({ _id: 7, n: 7, tag: 'x' });
      await coll.createIndex({ n: 1 });
      expect((await coll.listIndexes().toArray()).map((i) => i.name)).toEqual(['_id_', 'n_1']);
      expect((await coll.deleteMany({ n: 0 })).deletedCount).toBe(25);
      await expect(coll.insertOne({ _id: 1, n: 1 })).rejects.toMatchObject({ code: 11000 });
    } finally {
      await client.close();
    }
  });

  it('answers a legacy OP_QUERY isMaster with an OP_REPLY', async () => {
    const server = await wire.start();
    const reply = await new Promise<Buffer>((resolve, reject) => {
      const socket = net.connect(server.port, '127.0.0.1');
      const query = serialize({ isMaster: 1 });
      const name = Buffer.from('admin.$cmd\u0000');
      const msg = Buffer.alloc(16 + 4 + name.length + 8 + query.length);
      msg.writeInt32LE(msg.length, 0);
      msg.writeInt32LE(42, 4);
      msg.writeInt32LE(2004, 12);
      name.copy(msg, 20);
      msg.writeInt32LE(-1, 20 + name.length + 4);
      Buffer.from(query).copy(msg, 20 + name.length + 8);
      socket.on('data', (d) => {
        socket.destroy();
        resolve(d);
      });
      socket.on('error', reject);
      socket.write(msg);
    });
    expect(reply.readInt32LE(8)).toBe(42); // responseTo
    expect(reply.readInt32LE(12)).toBe(1); // OP_REPLY
    expect(reply.toString('latin1')).toContain('isWritablePrimary');
  });

  it('frames messages across chunk boundaries and refuses absurd lengths', () => {
    const a = Buffer.alloc(20, 1);
    a.writeInt32LE(20, 0);
    const both = Buffer.concat([a, a]);
    expect(takeMessages(both.subarray(0, 30)).messages).toHaveLength(1);
    expect(takeMessages(both.subarray(0, 30)).rest).toHaveLength(10);
    expect(takeMessages(both).messages).toHaveLength(2);
    const bad = Buffer.alloc(8);
    bad.writeInt32LE(3, 0);
    expect(() => takeMessages(bad)).toThrow(WireProtocolError);
  });

  it('matches the filters sync relies on, and refuses the ones it does not know', () => {
    const doc = { _id: 'cer-1:10', metadata: { seq: 10 } };
    expect(matchesFilter(doc, { _id: { $gte: 'cer-1:', $lt: 'cer-1;' } })).toBe(true);
    expect(matchesFilter(doc, { _id: { $gte: 'cer-10:', $lt: 'cer-10;' } })).toBe(false);
    expect(matchesFilter(doc, { 'metadata.seq': 10 })).toBe(true);
    expect(() => matchesFilter(doc, { _id: { $regex: 'x' } })).toThrow(/unsupported query operator \$regex/);
  });

  it('stops by itself after its lifetime', async () => {
    const server = await wire.start({ maxLifetimeMs: 50 });
    // Waits for the lifetime to end, however late the timer fires on a busy machine.
    await server.closed;
    await expect(
      new Promise((resolve, reject) => {
        const s = net.connect(server.port, '127.0.0.1');
        s.on('connect', () => {
          s.destroy();
          resolve('connected');
        });
        s.on('error', reject);
      }),
    ).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });
});
