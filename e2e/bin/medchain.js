#!/usr/bin/env node
// medchain: what polkadot.js apps cannot do for patients, providers and pharmacists — encrypt
// and decrypt documents, wrap record keys — plus a pack scan. Uses the same code as the
// end-to-end flows. Every command takes --ws URL (default ws://127.0.0.1:9944) and signs with
// --suri (a secret URI such as //Alice or a mnemonic) or --key-file (a polkadot.js JSON export,
// with its password in MEDCHAIN_KEY_PASSWORD).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { Keyring } from '@polkadot/keyring';
import { connect, keyFromUri } from '../lib/chain.js';
import { ready } from '../lib/crypto.js';
import { serveEmergencies } from '../lib/custodian.js';
import {
  changeMembership, encryptionKeysOf, publishEncryptionKey, readDocument, registerDocument, revoke,
  shareRecordKey,
} from '../lib/records.js';
import { packHistory, verifyPack } from '../lib/supply.js';

const USAGE = `usage: medchain <command> [options]
  publish-key                                   publish your X25519 encryption key
  register <file> [--patient ADDR] [--category CODE] [--media-type TYPE] [--purpose P]
                                                encrypt <file>, put it on the node, register it
  open <record> --out <file> [--purpose P]      record the read, fetch, unwrap, decrypt
  share <record> <grantee>                      wrap <record>'s key for <grantee> (as the
                                                patient, or as a key custodian in an emergency)
  revoke <consent>                              revoke a consent (as the patient or a guardian)
                                                and remove every key envelope it leaves
                                                unneeded, past one revocation's limit too
  remove-member <org> <account>                 as the organisation's admin, remove a member
                                                and every key envelope they held through it,
                                                past one sweep's limit too
  set-roles <org> <account> <role,...>          as the admin, set a member's roles (e.g.
                                                Clinician,Emergency); a role lost takes the
                                                envelopes held through it, as above
  custodian [--rescan-blocks N] [--state FILE]  as a key custodian, release escrowed keys to
                                                whoever breaks the glass and take them back
                                                when the access ends, until stopped; prints a
                                                JSON line per release; FILE keeps what is
                                                still to take back across runs
  verify <gtin> <serial>                        what a scanner sees for a pack
  history <gtin> <serial>                       the pack's EPCIS events
options: --ws URL, --suri URI | --key-file FILE (password in MEDCHAIN_KEY_PASSWORD)`;

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    ws: { type: 'string', default: 'ws://127.0.0.1:9944' },
    suri: { type: 'string' },
    'key-file': { type: 'string' },
    patient: { type: 'string' },
    category: { type: 'string', default: '11488-4' },
    'media-type': { type: 'string', default: 'application/fhir+json' },
    purpose: { type: 'string', default: 'Treatment' },
    out: { type: 'string' },
    'rescan-blocks': { type: 'string', default: '20' },
    state: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});

/** The signing account. */
function signer() {
  if (values.suri) {
    return keyFromUri(values.suri);
  }
  if (values['key-file']) {
    const json = JSON.parse(readFileSync(values['key-file'], 'utf8'));
    const account = new Keyring({ type: 'sr25519', ss58Format: 42 }).addFromJson(json);
    account.decodePkcs8(process.env.MEDCHAIN_KEY_PASSWORD ?? '');
    return account;
  }
  throw new Error('sign with --suri or --key-file');
}

/** How many key envelopes `sweeps` (their events) examined and removed in all. */
function envelopeTotals(sweeps) {
  const total = (field) => sweeps.reduce((sum, sweep) => sum + sweep[field].toNumber(), 0);
  return { envelopesExamined: total('examined'), envelopesRemoved: total('removed') };
}

async function main() {
  const [command, ...args] = positionals;
  if (values.help || !command) {
    console.log(USAGE);
    return;
  }
  await ready();
  const api = await connect(values.ws);
  try {
    switch (command) {
      case 'publish-key': {
        const account = signer();
        await publishEncryptionKey(api, account, encryptionKeysOf(account));
        console.log(`published the encryption key of ${account.address}`);
        break;
      }
      case 'register': {
        const account = signer();
        const plaintext = new Uint8Array(readFileSync(args[0]));
        const { record, contentHash } = await registerDocument(
          api, account, values.patient ?? account.address, plaintext,
          { category: values.category, mediaType: values['media-type'], purpose: values.purpose },
        );
        console.log(JSON.stringify({ record, contentHash, bytes: plaintext.length }));
        break;
      }
      case 'open': {
        const account = signer();
        if (!values.out) throw new Error('open needs --out FILE');
        const plaintext = await readDocument(
          api, account, encryptionKeysOf(account), Number(args[0]), values.purpose,
        );
        writeFileSync(values.out, plaintext);
        console.log(`wrote ${plaintext.length} bytes to ${values.out}`);
        break;
      }
      case 'share': {
        const account = signer();
        await shareRecordKey(api, account, encryptionKeysOf(account), Number(args[0]), args[1]);
        console.log(`wrapped the key of record ${args[0]} for ${args[1]}`);
        break;
      }
      case 'revoke': {
        const consent = Number(args[0]);
        const sweeps = await revoke(api, signer(), consent);
        console.log(JSON.stringify({ consent, ...envelopeTotals(sweeps) }));
        break;
      }
      case 'remove-member': {
        const [org, member] = [Number(args[0]), args[1]];
        const sweeps = await changeMembership(
          api, signer(), api.tx.consortium.removeMember(org, member),
        );
        console.log(JSON.stringify({ org, member, ...envelopeTotals(sweeps) }));
        break;
      }
      case 'set-roles': {
        const [org, member] = [Number(args[0]), args[1]];
        const roles = (args[2] ?? '').split(',').filter(Boolean);
        const sweeps = await changeMembership(
          api, signer(), api.tx.consortium.setMemberRoles(org, member, roles),
        );
        console.log(JSON.stringify({ org, member, roles, ...envelopeTotals(sweeps) }));
        break;
      }
      case 'custodian': {
        const account = signer();
        const state = values.state;
        const service = await serveEmergencies(api, account, encryptionKeysOf(account), {
          rescanBlocks: Number(values['rescan-blocks']),
          releases: state && existsSync(state) ? JSON.parse(readFileSync(state, 'utf8')) : [],
          onChange: (releases) => state && writeFileSync(state, JSON.stringify(releases)),
          onRelease: (release) => console.log(JSON.stringify({ released: release })),
          onTakeBack: (release) => console.log(JSON.stringify({ takenBack: release })),
          onError: (error) => console.error(`medchain custodian: ${error.error ?? ''} ${error.message}`.trim()),
        });
        console.error(`medchain custodian: serving emergencies as ${account.address}`);
        await new Promise((resolve) => {
          process.once('SIGINT', resolve);
          process.once('SIGTERM', resolve);
        });
        await service.stop();
        break;
      }
      case 'verify':
        console.log(JSON.stringify(await verifyPack(api, args[0], args[1]), null, 2));
        break;
      case 'history':
        console.log(JSON.stringify(await packHistory(api, args[0], args[1]), null, 2));
        break;
      default:
        throw new Error(`unknown command ${command}\n${USAGE}`);
    }
  } finally {
    await api.disconnect();
  }
}

main().catch((error) => {
  console.error(`medchain: ${error.error ?? ''} ${error.message}`.trim());
  process.exit(1);
});
