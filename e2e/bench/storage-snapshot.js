// Writes a raw chain spec whose genesis state is the development chain's plus the storage a
// consortium accumulates: for `records` records (three per patient), the keys and value sizes
// that registering, granting and pinning them leave behind. `benchmark storage` then measures
// database reads and writes on a trie as deep as a real chain's, not on the few hundred keys
// of a fresh one (scripts/benchmark-storage.sh).
//
//   node bench/storage-snapshot.js DEV_RAW_SPEC OUT_SPEC [records=40000]
//
// Keys are each item's real prefix (twox128 of pallet and item) followed by random bytes of the
// length its hashers and keys take; values are random bytes of the item's largest encoded size
// (`max_size` in the pallets' weights.rs). Their contents do not matter to the trie's shape or
// to the database; only their number, spread and sizes do. Nothing here decodes as chain data:
// the benchmark reads and rewrites keys, it never runs the runtime on them.
import { randomBytes } from 'node:crypto';
import { createWriteStream, readFileSync } from 'node:fs';
import { u8aToHex } from '@polkadot/util';
import { xxhashAsU8a } from '@polkadot/util-crypto';

const [input, output, recordsArg] = process.argv.slice(2);
if (!input || !output) {
  console.error('usage: node bench/storage-snapshot.js DEV_RAW_SPEC OUT_SPEC [records]');
  process.exit(2);
}
const records = Number(recordsArg ?? 40_000);
const patients = Math.ceil(records / 3);

const prefix = (pallet, item) => Buffer.concat([xxhashAsU8a(pallet, 128), xxhashAsU8a(item, 128)]);
/** One storage item: its prefix, the bytes of hashed keys after it, the size of its values. */
const item = (pallet, name, keyBytes, valueBytes) => ({ prefix: prefix(pallet, name), keyBytes, valueBytes });

// Blake2_128Concat(AccountId32) = 48 bytes, Twox64Concat(u64) = 16 bytes.
const perPatient = [
  item('System', 'Account', 48, 80),
  item('Records', 'RecordsOf', 48, 64),
  item('Consortium', 'EncryptionKeys', 48, 33),
  item('Consent', 'Consents', 16, 180),
  item('Consent', 'ConsentsOf', 48, 64),
  item('Consent', 'ConsentsByGrantee', 96, 0),
];
const perRecord = [
  item('Records', 'Records', 16, 334),
  // The patient's own envelope and one for the author.
  item('Records', 'KeyEnvelopes', 64, 242),
  item('Records', 'KeyEnvelopes', 64, 242),
  item('Records', 'EnvelopesByHolder', 64, 0),
  item('Pinning', 'Pins', 16, 230),
  item('Pinning', 'Objects', 48, 80),
  item('Balances', 'Holds', 48, 0),
];

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
const entry = async (key, value) => {
  await write(`${first ? '' : ','}"${key}":"${value}"`);
  first = false;
  count += 1;
};
for (const [key, value] of Object.entries(top)) await entry(key, value);
const synthetic = [[patients, perPatient], [records, perRecord]];
for (const [times, items] of synthetic) {
  for (let i = 0; i < times; i += 1) {
    for (const { prefix: itemPrefix, keyBytes, valueBytes } of items) {
      const key = u8aToHex(Buffer.concat([itemPrefix, randomBytes(keyBytes)]));
      // Unit values (`()`) get one byte: the same trie node, a value the database keeps.
      await entry(key, u8aToHex(randomBytes(Math.max(valueBytes, 1))));
    }
  }
}
await write(`}${tail}`);
await new Promise((resolve) => out.end(resolve));
console.log(`${output}: ${count} keys (${records} records, ${patients} patients)`);
