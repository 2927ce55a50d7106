// Draws the Breakglass icon and writes every format the installers need, with no dependencies:
//   assets/icon.png (1024), assets/icons/<n>x<n>.png (Linux), assets/icon.icns (macOS), assets/icon.ico (Windows).
// Run `node assets/make-icons.mjs` after changing the drawing, and commit the output: packaging
// must not depend on an image tool being installed on the build machine.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

const here = path.dirname(fileURLToPath(import.meta.url));

// ---- drawing: signed distance functions in unit coordinates (0..1), analytic anti-aliasing ----

const BACKGROUND_TOP = [0x1b, 0x23, 0x2c];
const BACKGROUND_BOTTOM = [0x10, 0x14, 0x18];
const AMBER = [0xf5, 0xa5, 0x24];
const GLASS = [0xe8, 0xee, 0xf3];
const CRACK = [
  [0.31, 0.27],
  [0.46, 0.44],
  [0.4, 0.55],
  [0.57, 0.61],
  [0.7, 0.75],
];

function roundedSquare(x, y, inset, radius) {
  const half = 0.5 - inset;
  const qx = Math.abs(x - 0.5) - (half - radius);
  const qy = Math.abs(y - 0.5) - (half - radius);
  return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - radius;
}

function ring(x, y, radius, thickness) {
  return Math.abs(Math.hypot(x - 0.5, y - 0.5) - radius) - thickness / 2;
}

function segment(x, y, [ax, ay], [bx, by]) {
  const px = x - ax;
  const py = y - ay;
  const dx = bx - ax;
  const dy = by - ay;
  const t = Math.max(0, Math.min(1, (px * dx + py * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - t * dx, py - t * dy);
}

function polyline(x, y, points, thickness) {
  let d = Infinity;
  for (let i = 1; i < points.length; i++) d = Math.min(d, segment(x, y, points[i - 1], points[i]));
  return d - thickness / 2;
}

/** Coverage of a pixel by a shape whose distance (in pixels) to the edge is `d`. */
const coverage = (d) => Math.max(0, Math.min(1, 0.5 - d));

function over(dst, rgb, alpha) {
  const a = alpha + dst[3] * (1 - alpha);
  if (a === 0) return [0, 0, 0, 0];
  const mix = (i) => (rgb[i] * alpha + dst[i] * dst[3] * (1 - alpha)) / a;
  return [mix(0), mix(1), mix(2), a];
}

/** RGBA pixels (row-major, 4 bytes each) of the icon at `size` x `size`. */
function render(size) {
  const pixels = Buffer.alloc(size * size * 4);
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      const x = (px + 0.5) / size;
      const y = (py + 0.5) / size;
      const t = y;
      const background = BACKGROUND_TOP.map((c, i) => c + (BACKGROUND_BOTTOM[i] - c) * t);
      let colour = over([0, 0, 0, 0], background, coverage(roundedSquare(x, y, 0.08, 0.2) * size));
      const inside = coverage(roundedSquare(x, y, 0.08, 0.2) * size);
      colour = over(colour, AMBER, inside * coverage(ring(x, y, 0.27, 0.075) * size));
      colour = over(colour, GLASS, inside * coverage(polyline(x, y, CRACK, Math.max(0.028, 1.2 / size)) * size));
      const o = (py * size + px) * 4;
      pixels[o] = Math.round(colour[0]);
      pixels[o + 1] = Math.round(colour[1]);
      pixels[o + 2] = Math.round(colour[2]);
      pixels[o + 3] = Math.round(colour[3] * 255);
    }
  }
  return pixels;
}

// ---- encoders ----

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buffer) {
  let c = 0xffffffff;
  for (const byte of buffer) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function pngChunk(type, data) {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

function encodePng(size, rgba) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // RGBA
  const rows = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) rgba.copy(rows, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', header),
    pngChunk('IDAT', deflateSync(rows, { level: 9 })),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A 32-bit BMP entry (BGRA, bottom-up, with the 1-bit AND mask) as old Windows tools expect. */
function encodeIcoBitmap(size, rgba) {
  const info = Buffer.alloc(40);
  info.writeUInt32LE(40, 0);
  info.writeInt32LE(size, 4);
  info.writeInt32LE(size * 2, 8); // XOR bitmap + AND mask
  info.writeUInt16LE(1, 12);
  info.writeUInt16LE(32, 14);
  const xor = Buffer.alloc(size * size * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const s = (y * size + x) * 4;
      const d = ((size - 1 - y) * size + x) * 4;
      xor[d] = rgba[s + 2];
      xor[d + 1] = rgba[s + 1];
      xor[d + 2] = rgba[s];
      xor[d + 3] = rgba[s + 3];
    }
  }
  const maskRow = Math.ceil(size / 32) * 4;
  return Buffer.concat([info, xor, Buffer.alloc(maskRow * size)]);
}

function encodeIco(images) {
  const header = Buffer.alloc(6);
  header.writeUInt16LE(1, 2);
  header.writeUInt16LE(images.length, 4);
  const entries = [];
  let offset = 6 + 16 * images.length;
  for (const { size, data } of images) {
    const e = Buffer.alloc(16);
    e[0] = size >= 256 ? 0 : size;
    e[1] = size >= 256 ? 0 : size;
    e.writeUInt16LE(1, 4);
    e.writeUInt16LE(32, 6);
    e.writeUInt32LE(data.length, 8);
    e.writeUInt32LE(offset, 12);
    offset += data.length;
    entries.push(e);
  }
  return Buffer.concat([header, ...entries, ...images.map((i) => i.data)]);
}

function encodeIcns(entries) {
  const parts = entries.map(({ type, png }) => {
    const head = Buffer.alloc(8);
    head.write(type, 0, 'latin1');
    head.writeUInt32BE(png.length + 8, 4);
    return Buffer.concat([head, png]);
  });
  const head = Buffer.alloc(8);
  head.write('icns', 0, 'latin1');
  head.writeUInt32BE(8 + parts.reduce((n, p) => n + p.length, 0), 4);
  return Buffer.concat([head, ...parts]);
}

// ---- output ----

const sizes = [16, 24, 32, 48, 64, 128, 256, 512, 1024];
const png = new Map();
const raw = new Map();
for (const size of sizes) {
  raw.set(size, render(size));
  png.set(size, encodePng(size, raw.get(size)));
}

mkdirSync(path.join(here, 'icons'), { recursive: true });
writeFileSync(path.join(here, 'icon.png'), png.get(1024));
for (const size of [16, 32, 48, 64, 128, 256, 512])
  writeFileSync(path.join(here, 'icons', `${size}x${size}.png`), png.get(size));
writeFileSync(
  path.join(here, 'icon.ico'),
  encodeIco(
    [16, 24, 32, 48, 64, 128, 256].map((size) => ({
      size,
      data: size >= 256 ? png.get(size) : encodeIcoBitmap(size, raw.get(size)),
    })),
  ),
);
writeFileSync(
  path.join(here, 'icon.icns'),
  encodeIcns([
    { type: 'icp4', png: png.get(16) },
    { type: 'icp5', png: png.get(32) },
    { type: 'icp6', png: png.get(64) },
    { type: 'ic07', png: png.get(128) },
    { type: 'ic08', png: png.get(256) },
    { type: 'ic09', png: png.get(512) },
    { type: 'ic10', png: png.get(1024) },
    { type: 'ic11', png: png.get(32) },
    { type: 'ic12', png: png.get(64) },
    { type: 'ic13', png: png.get(256) },
    { type: 'ic14', png: png.get(512) },
  ]),
);
console.log('wrote assets/icon.png, assets/icons/*.png, assets/icon.icns, assets/icon.ico');
