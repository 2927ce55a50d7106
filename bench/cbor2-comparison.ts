import { decode, encode, TypeEncoderMap } from 'cbor2';
import { encodeCtapMessage } from '../src-main/webauthn/canonical-cbor';
import { decodeCanonical } from '../src-main/webauthn/canonical-cbor-decode';
import { sampledHeapBytes } from './heap';
import { percentile, round } from './stats';

// Our CTAP codec against cbor2 in the strict options adopting it would need, on the two messages
// of a getAssertion, so the reason the codec is ours is re-measured on every run
// (docs/benchmarks.md, hardware-key).

// cbor2 picks an encoder by constructor: without this a Node Buffer goes through Buffer#toJSON
// and is written as the map {"data": [...], "type": "Buffer"}.
const types = new TypeEncoderMap();
types.registerEncoder(Buffer, (b: Buffer) => [NaN, new Uint8Array(b.buffer, b.byteOffset, b.byteLength)]);

// The default chunkSize (4096): 64 allocates slightly more (a chunk and a DataView per 64 bytes),
// and neither is where the cost is (bench/cbor2-costs.mjs).
const ENCODE = {
  cde: true,
  rejectUndefined: true,
  rejectFloats: true,
  rejectDuplicateKeys: true,
  types,
};
const DECODE = {
  cde: true,
  preferMap: true,
  rejectUndefined: true,
  rejectSimple: true,
  rejectFloats: true,
  rejectDuplicateKeys: true,
  maxDepth: 16,
};

const ROUNDS = 7;
const CALLS = 2000;

function perCallUs(fn: () => unknown): number {
  const start = process.hrtime.bigint();
  for (let i = 0; i < CALLS; i++) fn();
  return Number(process.hrtime.bigint() - start) / 1e3 / CALLS;
}

/**
 * Encode of a getAssertion request and decode of its response, ours and cbor2's, interleaved
 * (median of ROUNDS rounds of CALLS calls each, after a warm-up of one round), then allocation.
 */
export async function compareWithCbor2(
  request: Map<number, unknown>,
  response: Buffer,
): Promise<Record<string, number | boolean>> {
  const body = response.subarray(1);
  const cases = {
    oursEncode: () => encodeCtapMessage(0x02, request),
    cbor2Encode: () => encode(request, ENCODE),
    oursDecode: () => decodeCanonical(response, 1),
    cbor2Decode: () => decode(body, DECODE),
  };
  const sameBytes =
    Buffer.from(cases.cbor2Encode()).equals(cases.oursEncode().subarray(1)) &&
    Buffer.from(encode(decodeCanonical(response, 1), ENCODE)).equals(body);
  const samples: Record<keyof typeof cases, number[]> = {
    oursEncode: [],
    cbor2Encode: [],
    oursDecode: [],
    cbor2Decode: [],
  };
  for (let r = -1; r < ROUNDS; r++) {
    for (const name of Object.keys(cases) as Array<keyof typeof cases>) {
      globalThis.gc?.();
      const us = perCallUs(cases[name]);
      if (r >= 0) samples[name].push(us);
    }
  }
  const median = (name: keyof typeof cases) => percentile(samples[name], 50);
  const alloc = async (name: keyof typeof cases) => {
    const fn = cases[name];
    const bytes = await sampledHeapBytes(() => {
      for (let i = 0; i < 500; i++) fn();
    });
    return Math.round(bytes / 500);
  };
  return {
    cbor2_same_bytes: sameBytes,
    cbor2_encode_request_us: round(median('cbor2Encode'), 2),
    ours_encode_request_us: round(median('oursEncode'), 2),
    cbor2_encode_ratio: round(median('cbor2Encode') / median('oursEncode'), 1),
    cbor2_decode_response_us: round(median('cbor2Decode'), 2),
    ours_decode_response_us: round(median('oursDecode'), 2),
    cbor2_decode_ratio: round(median('cbor2Decode') / median('oursDecode'), 1),
    cbor2_encode_bytes_allocated: await alloc('cbor2Encode'),
    ours_encode_bytes_allocated: await alloc('oursEncode'),
    cbor2_decode_bytes_allocated: await alloc('cbor2Decode'),
    ours_decode_bytes_allocated: await alloc('oursDecode'),
  };
}
