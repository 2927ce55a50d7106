import { BROADCAST_CID, Cmd, INIT_HEADER, TYPE_INIT } from '../../../../src-main/hardware-key/transport/ctaphid-constants';
import { fragment, reportCount } from '../../../../src-main/hardware-key/transport/ctaphid-frames';
import type { FidoHidTransport } from '../../../../src-main/hardware-key/transport/transport';
import { readFileSync } from 'node:fs';
import path from 'node:path';

// Read at run time rather than imported: the test project compiles only TypeScript files.
const wiredata = JSON.parse(readFileSync(path.join(__dirname, 'libfido2-wiredata.json'), 'utf8')) as { records: { [name: string]: string[] } };

export type Record =
  | 'WIREDATA_CTAP_INIT' | 'WIREDATA_CTAP_KEEPALIVE' | 'WIREDATA_CTAP_CBOR_INFO' | 'WIREDATA_CTAP_CBOR_AUTHKEY' | 'WIREDATA_CTAP_CBOR_PINTOKEN'
  | 'WIREDATA_CTAP_CBOR_STATUS' | 'WIREDATA_CTAP_CBOR_RETRIES' | 'WIREDATA_CTAP_CBOR_ASSERT' | 'WIREDATA_CTAP_CBOR_CRED'
  | 'WIREDATA_CTAP_U2F_6985' | 'WIREDATA_CTAP_U2F_AUTH' | 'WIREDATA_CTAP_U2F_REGISTER';

/** The recorded reports of one answer, as Buffers. */
export function recorded(name: Record): Buffer[] {
  const reports = wiredata.records[name];
  if (!reports) throw new Error(`no recording ${name}`);
  return reports.map((hex) => Buffer.from(hex, 'hex'));
}

/**
 * Plays recorded device traffic back at the 64-byte report seam: INIT is answered with the
 * recorded INIT response, and each later request, once its last packet is written, with the next
 * recorded answer. Changed on the way, and nothing else: the INIT answer's nonce (ours is
 * random), and the channel of every replayed report, set to the one the recorded INIT allocated
 * (libfido2's fuzz corpus stitches some answers from several sessions, e.g. the assertion's first
 * packet is on channel 0x00220002 and its continuations on 0x0092000e).
 */
export function replayTransport(answers: Array<Record[] | { cbor: Buffer }>): FidoHidTransport & { requests: Buffer[] } {
  const queue: Buffer[] = [];
  const cid = recorded('WIREDATA_CTAP_INIT')[0]!.readUInt32BE(INIT_HEADER + 8);
  // A { cbor } answer is a recorded CTAP2 response (status byte and body), framed here.
  const pending = answers.map((answer) => ('cbor' in answer ? fragment(cid, Cmd.CBOR, answer.cbor) : answer.flatMap(recorded)).map((report) => {
    report.writeUInt32BE(cid, 0);
    return report;
  }));
  const requests: Buffer[] = [];
  let current: { data: Buffer[]; left: number; total: number } | null = null;
  return {
    requests,
    async write(report: Buffer) {
      const copy = Buffer.from(report);
      if (copy[4]! & TYPE_INIT) {
        const length = copy.readUInt16BE(5);
        current = { data: [copy.subarray(INIT_HEADER)], left: reportCount(length) - 1, total: length };
        if (copy.readUInt32BE(0) === BROADCAST_CID && copy[4] === (TYPE_INIT | Cmd.INIT)) {
          const init = recorded('WIREDATA_CTAP_INIT')[0]!;
          copy.copy(init, INIT_HEADER, INIT_HEADER, INIT_HEADER + 8);
          queue.push(init);
          current = null;
          return;
        }
      } else if (current) {
        current.data.push(copy.subarray(5));
        current.left -= 1;
      }
      if (current && current.left === 0) {
        requests.push(Buffer.concat(current.data).subarray(0, current.total));
        current = null;
        queue.push(...(pending.shift() ?? []));
      }
    },
    async read() {
      if (queue.length === 0) await new Promise((resolve) => setImmediate(resolve));
      return queue.shift() ?? null;
    },
    async close() {},
  };
}
