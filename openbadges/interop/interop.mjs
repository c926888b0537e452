// Independent check of the openbadges crate with Digital Bazaar's VC stack, fully offline.
//
//   node interop.mjs DIR
//
// DIR is written by `cargo run -p openbadges --example interop -- generate DIR`:
//   contexts.json      URL -> context document: exactly the contexts bundled in the crate
//   rust-signed/*.json credentials signed by the crate (ok-* must verify, bad-* must not)
//   unsigned/*.json    credentials for this script to sign into js-signed/ (the crate verifies them)
//   nquads/N.json+N.nq documents and the crate's canonical N-Quads (RDFC-1.0), compared here
//   status-list.json   the crate-signed BitstringStatusListCredential used by checkStatus
// Writes DIR/js-results.json {passed, failed} and prints `js: N passed, M failed`.

import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import jsonld from 'jsonld';
import * as vc from '@digitalbazaar/vc';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite as eddsaRdfc2022CryptoSuite} from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';

const dir = process.argv[2];
if(!dir) {
  console.error('usage: node interop.mjs DIR');
  process.exit(2);
}
const readJson = p => JSON.parse(fs.readFileSync(path.join(dir, p), 'utf8'));
const contexts = readJson('contexts.json');
const statusList = readJson('status-list.json');

// Offline document loader: bundled contexts, did:key documents, the local status list.
// Anything else is an error, so nothing is ever fetched.
async function documentLoader(url) {
  if(contexts[url]) {
    return {contextUrl: null, documentUrl: url, document: structuredClone(contexts[url])};
  }
  if(url.startsWith('did:key:')) {
    const [did, fragment] = url.split('#');
    const mb = did.slice('did:key:'.length);
    const vmId = `${did}#${mb}`;
    const vm = {
      '@context': 'https://w3id.org/security/multikey/v1',
      id: vmId, type: 'Multikey', controller: did, publicKeyMultibase: mb
    };
    if(fragment) {
      if(fragment !== mb) {
        throw new Error(`did:key fragment mismatch: ${url}`);
      }
      return {contextUrl: null, documentUrl: url, document: vm};
    }
    const {['@context']: _, ...vmNoCtx} = vm;
    return {contextUrl: null, documentUrl: url, document: {
      '@context': ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/multikey/v1'],
      id: did, verificationMethod: [vmNoCtx],
      assertionMethod: [vmId], authentication: [vmId]
    }};
  }
  throw new Error(`interop loader: refusing to load ${url}`);
}

// Minimal Bitstring Status List check against the crate-signed list (verified first).
async function checkStatus({credential}) {
  const status = credential.credentialStatus;
  if(status.statusListCredential !== statusList.id) {
    return {verified: false, error: new Error('unknown status list')};
  }
  const listResult = await vc.verifyCredential({
    credential: statusList, suite: verifySuite, documentLoader
  });
  if(!listResult.verified) {
    return {verified: false, error: new Error('status list credential does not verify')};
  }
  const encoded = statusList.credentialSubject.encodedList;
  const bits = zlib.gunzipSync(Buffer.from(encoded.slice(1), 'base64url'));
  const index = Number.parseInt(status.statusListIndex, 10);
  const set = (bits[index >> 3] & (0x80 >> (index & 7))) !== 0;
  return {verified: !set};
}

const verifySuite = new DataIntegrityProof({cryptosuite: eddsaRdfc2022CryptoSuite});
let passed = 0;
let failed = 0;
const fail = (what, detail) => {
  failed++;
  console.error(`FAIL ${what}: ${detail}`);
};

// (a) Verify what the crate signed.
for(const name of fs.readdirSync(path.join(dir, 'rust-signed')).sort()) {
  const credential = readJson(path.join('rust-signed', name));
  const expected = !name.startsWith('bad-');
  let result;
  try {
    result = await vc.verifyCredential({credential, suite: verifySuite, documentLoader, checkStatus});
  } catch(e) {
    result = {verified: false, error: e};
  }
  if(result.verified === expected) {
    passed++;
  } else {
    const err = result.error || result.results?.[0]?.error || result.statusResult?.error;
    fail(`js verify rust-signed/${name} (expected ${expected})`,
      err ? (err.message || JSON.stringify(err)).slice(0, 500) : JSON.stringify(result).slice(0, 500));
  }
}

// (b) Sign credentials for the crate to verify.
const keyInfo = readJson('js-key.json');
const keyPair = await Ed25519Multikey.from({...keyInfo, type: 'Multikey'});
const signSuite = new DataIntegrityProof({signer: keyPair.signer(), cryptosuite: eddsaRdfc2022CryptoSuite});
fs.mkdirSync(path.join(dir, 'js-signed'), {recursive: true});
for(const name of fs.readdirSync(path.join(dir, 'unsigned')).sort()) {
  const credential = readJson(path.join('unsigned', name));
  try {
    const signed = await vc.issue({credential, suite: signSuite, documentLoader});
    fs.writeFileSync(path.join(dir, 'js-signed', `ok-${name}`), JSON.stringify(signed, null, 2));
    const tampered = structuredClone(signed);
    tampered.credentialSubject.achievement.description += ' (tampered)';
    fs.writeFileSync(path.join(dir, 'js-signed', `bad-tampered-${name}`), JSON.stringify(tampered, null, 2));
    passed++;
  } catch(e) {
    fail(`js sign unsigned/${name}`, e.message);
  }
}

// (c) Compare canonical N-Quads with jsonld.js (safe mode, as the cryptosuite uses).
for(const name of fs.readdirSync(path.join(dir, 'nquads')).filter(n => n.endsWith('.json')).sort()) {
  const doc = readJson(path.join('nquads', name));
  const expected = fs.readFileSync(path.join(dir, 'nquads', name.replace(/\.json$/, '.nq')), 'utf8');
  try {
    const actual = await jsonld.canonize(doc, {
      algorithm: 'RDFC-1.0', format: 'application/n-quads', documentLoader, safe: true
    });
    if(actual === expected) {
      passed++;
    } else {
      fail(`nquads ${name}`, `jsonld.js:\n${actual}\ncrate:\n${expected}`);
    }
  } catch(e) {
    fail(`nquads ${name}`, `jsonld.js error: ${e.message}`);
  }
}

fs.writeFileSync(path.join(dir, 'js-results.json'), JSON.stringify({passed, failed}));
console.log(`js: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
