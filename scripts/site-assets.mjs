// Gives the browser bundle in <pkg dir> content-hashed names and precompressed copies, so the
// server can send them with `Cache-Control: immutable` and without compressing per request.
//
//   node scripts/site-assets.mjs target/site/pkg
//
// Input: badge-engine.js, badge-engine.wasm and badge-engine.css as build_site leaves them.
// Output: badge-engine.<hash>.{js,wasm,css} with .br and .gz next to each, `asset-version`
// holding <hash> (the server reads it at start-up), and badge-engine.css kept under its plain
// name for the server's static status pages. Older hashed files are removed.
// Node's own zlib does brotli and gzip, so nothing is downloaded.
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync, renameSync, readdirSync, rmSync, copyFileSync } from "node:fs";
import { join } from "node:path";
import { brotliCompressSync, gzipSync, constants } from "node:zlib";

const dir = process.argv[2];
if (!dir) {
  console.error("usage: node scripts/site-assets.mjs <pkg dir>");
  process.exit(2);
}
const name = "badge-engine";
const kinds = ["js", "wasm", "css"];

// One hash over all three: they are built together and must be served together.
const hash = createHash("sha256");
for (const ext of kinds) hash.update(readFileSync(join(dir, `${name}.${ext}`)));
const version = hash.digest("hex").slice(0, 16);

const current = new Set(kinds.map((ext) => `${name}.${version}.${ext}`));
for (const file of readdirSync(dir)) {
  const m = file.match(/^badge-engine\.([0-9a-f]{16})\.(js|wasm|css)(\.br|\.gz)?$/);
  if (m && !current.has(`${name}.${m[1]}.${m[2]}`)) rmSync(join(dir, file));
}

for (const ext of kinds) {
  const plain = join(dir, `${name}.${ext}`);
  const hashed = join(dir, `${name}.${version}.${ext}`);
  if (ext === "css") copyFileSync(plain, hashed);
  else renameSync(plain, hashed);
  const bytes = readFileSync(hashed);
  writeFileSync(`${hashed}.br`, brotliCompressSync(bytes, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
      [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
    },
  }));
  writeFileSync(`${hashed}.gz`, gzipSync(bytes, { level: 9 }));
}
writeFileSync(join(dir, "asset-version"), `${version}\n`);
console.log(`site assets: ${name}.${version}.{js,wasm,css} with .br and .gz`);
