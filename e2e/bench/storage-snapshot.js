// Writes a raw chain spec whose genesis state is the development chain's plus the storage a
// consortium accumulates: for `records` records (three per patient, each written by one of
// 500 providers), the keys and value sizes that registering, granting and pinning them leave
// behind. `benchmark storage` then measures database reads and writes on a trie as deep as a
// real chain's, not on the few hundred keys of a fresh one (scripts/benchmark-storage.sh).
//
//   node bench/storage-snapshot.js DEV_RAW_SPEC OUT_SPEC [records=150000]
//
// Keys are laid out as the pallets lay them out: each item's prefix (twox128 of pallet and
// item), then per key part its hash and the part itself (Blake2_128Concat: 16 + 32 bytes for
// an account; Twox64Concat: 8 + 8 bytes for a record id), so that a patient's records, a
// record's envelopes and a provider's envelopes share their prefixes as on chain. The hash of
// an account stands in as 16 random bytes, the same wherever that account appears. Values are
// random bytes of the item's largest encoded size (`max_size` in the pallets' weights.rs).
// Their contents do not matter to the trie's shape or to the database; only their number,
// spread and sizes do. Nothing here decodes as chain data: the benchmark reads and rewrites
// keys, it never runs the runtime on them.
import { randomBytes } from 'node:crypto';
import { createWriteStream, readFileSync } from 'node:fs';
import { u8aToHex } from '@polkadot/util';
import { xxhashAsU8a } from '@polkadot/util-crypto';

const [input, output, recordsArg] = process.argv.slice(2);
if (!input || !output) {
  console.error('usage: node bench/storage-snapshot.js DEV_RAW_SPEC OUT_SPEC [records]');
  process.exit(2);
}
const records = Number(recordsArg ?? 150_000);
const patients = Math.ceil(records / 3);
const providers = 500;

const prefix = (pallet, item) => Buffer.concat([xxhashAsU8a(pallet, 128), xxhashAsU8a(item, 128)]);
const PREFIX = {
  account: prefix('System', 'Account'),
  holds: prefix('Balances', 'Holds'),
  encryptionKeys: prefix('Consortium', 'EncryptionKeys'),
  consents: prefix('Consent', 'Consents'),
  consentsOf: prefix('Consent', 'ConsentsOf'),
  consentsByGrantee: prefix('Consent', 'ConsentsByGrantee'),
  records: prefix('Records', 'Records'),
  recordsOf: prefix('Records', 'RecordsOf'),
  keyEnvelopes: prefix('Records', 'KeyEnvelopes'),
  envelopesByHolder: prefix('Records', 'EnvelopesByHolder'),
  pins: prefix('Pinning', 'Pins'),
  objects: prefix('Pinning', 'Objects'),
};

/** An account as a Blake2_128Concat key part: its (stand-in) hash, then its 32 bytes. */
const newAccount = () => Buffer.concat([randomBytes(16), randomBytes(32)]);
/** A u64 id as a Twox64Concat key part: its (stand-in) hash, then its 8 little-endian bytes. */
const idKey = (id) => {
  const bytes = Buffer.alloc(8);
  bytes.writeBigUInt64LE(BigInt(id));
  return Buffer.concat([randomBytes(8), bytes]);
};
/** A grantee (`GranteeKey::Account`) as a Blake2_128Concat key part. */
const granteeKey = (account) => Buffer.concat([randomBytes(16), Buffer.from([0]), account.subarray(16)]);

const spec = JSON.parse(readFileSync(input, 'utf8'));
const top = spec.genesis?.raw?.top;
if (!top) throw new Error(`${input} is not a raw chain spec`);
spec.name = `${spec.name} (storage snapshot, ${records} records)`;
spec.genesis.raw.top = '__TOP__';
const [head, tail] = JSON.stringify(spec).split('"__TOP__"');

const out = createWriteStream(output);
const write = (text) => (out.write(text) ? Promise.resolve() : new Promise((resolve) => out.once('drain', resolve)));
await write(`${head}{`);
let first = true;
let count = 0;
/** Writes the key made of `parts` with a random value of `size` bytes (at least one). */
const entry = async (parts, size) => {
  const key = typeof parts === 'string' ? parts : u8aToHex(Buffer.concat(parts));
  // Unit values (`()`) get one byte: the same trie node, a value the database keeps.
  const value = typeof size === 'string' ? size : u8aToHex(randomBytes(Math.max(size, 1)));
  await write(`${first ? '' : ','}"${key}":"${value}"`);
  first = false;
  count += 1;
};
for (const [key, value] of Object.entries(top)) await entry(key, value);

const provider = Array.from({ length: providers }, newAccount);
for (const author of provider) await entry([PREFIX.account, author], 80);
let record = 0;
for (let p = 0; p < patients; p += 1) {
  const patient = newAccount();
  await entry([PREFIX.account, patient], 80);
  await entry([PREFIX.holds, patient], 60);
  await entry([PREFIX.encryptionKeys, patient], 33);
  // One consent, to a provider.
  const consent = idKey(p);
  await entry([PREFIX.consents, consent], 180);
  await entry([PREFIX.consentsOf, patient], 9);
  await entry([PREFIX.consentsByGrantee, patient, granteeKey(provider[p % providers])], 9);
  for (let i = 0; i < 3 && record < records; i += 1, record += 1) {
    const id = idKey(record);
    const author = provider[(p + i) % providers];
    await entry([PREFIX.records, id], 334);
    await entry([PREFIX.recordsOf, patient, id], 0);
    // The patient's own envelope and the author's.
    await entry([PREFIX.keyEnvelopes, id, patient], 242);
    await entry([PREFIX.keyEnvelopes, id, author], 242);
    await entry([PREFIX.envelopesByHolder, author, patient, id], 9);
    await entry([PREFIX.pins, id], 230);
    await entry([PREFIX.objects, randomBytes(16), randomBytes(32)], 112);
  }
}
await write(`}${tail}`);
await new Promise((resolve) => out.end(resolve));
console.log(`${output}: ${count} keys (${records} records, ${patients} patients, ${providers} providers)`);
