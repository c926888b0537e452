// Test data through the product's own CLI (the same commands scripts/run.sh uses).
import { execFileSync } from "node:child_process";
import { bin } from "./server.mjs";

/** Fixed ids of `badge-engine seed-demo`. */
export const DEMO = {
  issuer: "0192f000-0000-7000-8000-000000000001",
  achievement: "0192f000-0000-7000-8000-000000000002",
};

/** Seeds the demo issuer and achievement; returns the achievement's id. */
export async function demoAchievement(server) {
  execFileSync(bin, ["seed-demo"], { env: server.env, stdio: "pipe" });
  return DEMO.achievement;
}

import { deflateSync } from "node:zlib";
import { writeFileSync } from "node:fs";

function crc32(buf) {
  let c = ~0;
  for (const b of buf) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}

/** Writes a `size`×`size` PNG: a filled circle of `rgb` on white (a plausible logo). */
export function writePng(file, size = 256, rgb = [40, 90, 200]) {
  const raw = Buffer.alloc((size * 3 + 1) * size);
  for (let y = 0; y < size; y++) {
    raw[y * (size * 3 + 1)] = 0;
    for (let x = 0; x < size; x++) {
      const inside = (x - size / 2) ** 2 + (y - size / 2) ** 2 < (size / 2.2) ** 2;
      const o = y * (size * 3 + 1) + 1 + x * 3;
      raw[o] = inside ? rgb[0] : 255;
      raw[o + 1] = inside ? rgb[1] : 255;
      raw[o + 2] = inside ? rgb[2] : 255;
    }
  }
  const chunk = (type, data) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(td));
    return Buffer.concat([len, td, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8;
  ihdr[9] = 2;
  writeFileSync(
    file,
    Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      chunk("IHDR", ihdr),
      chunk("IDAT", deflateSync(raw)),
      chunk("IEND", Buffer.alloc(0)),
    ]),
  );
  return file;
}
