// Where cbor2's time and heap go on a getAssertion request and response (docs/benchmarks.md,
// hardware-key): `node --expose-gc bench/cbor2-costs.mjs`. A diagnosis, not a bench: the PATCH
// rows mutate two library statics (one of them reached by path, outside the package's exports)
// to show what the per-call option merges cost; nothing in the app does this.
import { cdeEncodeOptions, decode, defaultEncodeOptions, encode, TypeEncoderMap, Writer } from 'cbor2';
import { randomBytes } from 'node:crypto';
import { Session } from 'node:inspector/promises';

const { DecodeStream } = await import(new URL('../node_modules/cbor2/lib/decodeStream.js', import.meta.url).href);
const types = new TypeEncoderMap();
types.registerEncoder(Buffer, (b) => [NaN, new Uint8Array(b.buffer, b.byteOffset, b.byteLength)]);
const credentialId = randomBytes(64);
const request = new Map()
  .set(1, 'breakglass.local')
  .set(2, randomBytes(32))
  .set(3, [{ id: credentialId, type: 'public-key' }]);
const response = encode(
  new Map().set(1, { id: credentialId, type: 'public-key' }).set(2, randomBytes(37)).set(3, randomBytes(71)),
  { cde: true, types },
);
const strict = { cde: true, rejectUndefined: true, rejectFloats: true, types };
const strictDecode = {
  cde: true,
  preferMap: true,
  rejectUndefined: true,
  rejectSimple: true,
  rejectFloats: true,
  rejectDuplicateKeys: true,
  maxDepth: 16,
};
const bag = { ...defaultEncodeOptions, ...cdeEncodeOptions };

const cases = [
  ['encode request, chunkSize 4096 (default)', () => encode(request, strict)],
  ['encode request, chunkSize 64', () => encode(request, { ...strict, chunkSize: 64 })],
  ['  + rejectDuplicateKeys', () => encode(request, { ...strict, chunkSize: 64, rejectDuplicateKeys: true })],
  ['  sortKeys: null instead', () => encode(request, { ...strict, chunkSize: 64, sortKeys: null })],
  ['encode(1), cde', () => encode(1, strict)],
  ['new Writer(the encoder option bag)', () => new Writer(bag)],
  ['new Writer({ chunkSize: 4096 })', () => new Writer({ chunkSize: 4096 })],
  ['{ ...{ chunkSize: 4096 }, ...bag }, plain JS', () => ({ ...{ chunkSize: 4096 }, ...bag })],
  ['Object.assign({}, { chunkSize: 4096 }, bag)', () => Object.assign({}, { chunkSize: 4096 }, bag)],
  ['decode response, strict', () => decode(response, strictDecode)],
  ['PATCH encode request, chunkSize 64', () => encode(request, { ...strict, chunkSize: 64 }), true],
  ['PATCH encode(1)', () => encode(1, strict), true],
  ['PATCH decode response, strict', () => decode(response, strictDecode), true],
];

const writerDefaults = Writer.defaultOptions;
const streamDefaults = DecodeStream.defaultOptions;
function patch(on) {
  Writer.defaultOptions = on ? {} : writerDefaults;
  DecodeStream.defaultOptions = on ? {} : streamDefaults;
}

function microseconds(fn, calls) {
  const start = process.hrtime.bigint();
  for (let i = 0; i < calls; i++) fn();
  return Number(process.hrtime.bigint() - start) / 1e3 / calls;
}

async function heapBytes(fn, calls) {
  const session = new Session();
  session.connect();
  await session.post('HeapProfiler.startSampling', {
    samplingInterval: 64,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: true,
  });
  for (let i = 0; i < calls; i++) fn();
  const { profile } = await session.post('HeapProfiler.stopSampling');
  session.disconnect();
  let total = 0;
  const pending = [profile.head];
  for (let node = pending.pop(); node; node = pending.pop()) {
    total += node.selfSize;
    pending.push(...node.children);
  }
  return total / calls;
}

// Round -1 is the warm-up; then 5 interleaved rounds of 2,000 calls, median.
const samples = new Map(cases.map(([name]) => [name, []]));
for (let round = -1; round < 5; round++) {
  for (const [name, fn, patched] of cases) {
    patch(patched);
    globalThis.gc?.();
    const us = microseconds(fn, 2000);
    if (round >= 0) samples.get(name).push(us);
  }
}
console.log(`node ${process.version}, V8 ${process.versions.v8}, cbor2 ${(await import('cbor2')).version}`);
for (const [name, fn, patched] of cases) {
  patch(patched);
  const sorted = samples.get(name).sort((a, b) => a - b);
  const bytes = Math.round(await heapBytes(fn, 500));
  console.log(`${name.padEnd(48)} ${sorted[2].toFixed(2).padStart(8)} µs ${String(bytes).padStart(7)} B`);
}
patch(false);
