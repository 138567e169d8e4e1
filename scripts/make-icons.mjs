// Draws the toolbar icon (a meter gauge) as PNGs in public/icons. Run: node scripts/make-icons.mjs
import { writeFileSync } from "node:fs";
import { crc32, deflateSync } from "node:zlib";

function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

function png(size, pixel) {
  const rows = [];
  for (let y = 0; y < size; y++) {
    const row = Buffer.alloc(1 + size * 4);
    for (let x = 0; x < size; x++) row.set(pixel((x + 0.5) / size, (y + 0.5) / size), 1 + x * 4);
    rows.push(row);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 6, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(Buffer.concat(rows))),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

// A rounded dark tile with a gauge arc (green to red) and a needle.
function pixel(u, v) {
  const dx = u - 0.5;
  const dy = v - 0.62;
  const r = Math.hypot(dx, dy);
  const corner =
    Math.max(Math.abs(u - 0.5) - 0.34, 0) ** 2 + Math.max(Math.abs(v - 0.5) - 0.34, 0) ** 2;
  if (corner > 0.16 ** 2) return [0, 0, 0, 0];
  const angle = Math.atan2(-dy, dx); // 0 right, pi left
  if (r > 0.28 && r < 0.4 && dy < 0.02) {
    const t = 1 - angle / Math.PI;
    return [Math.round(60 + 190 * t), Math.round(200 - 150 * t), 80, 255];
  }
  const needle = Math.abs(dx * Math.sin(Math.PI / 4) - -dy * Math.cos(Math.PI / 4));
  if (needle < 0.035 && r < 0.3 && dx >= -0.01 && dy <= 0.01) return [240, 240, 240, 255];
  if (r < 0.06) return [240, 240, 240, 255];
  return [32, 36, 48, 255];
}

for (const size of [16, 32, 48, 128])
  writeFileSync(`public/icons/icon-${size}.png`, png(size, pixel));
