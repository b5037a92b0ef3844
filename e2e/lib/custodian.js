// The key custodian's service (emergency key escrow). Patients who want emergency staff to be
// able to read wrap each record key for the custodian and consent to its emergency reads. When
// someone breaks the glass on such a patient, the service wraps those keys for them at once,
// without a person in the loop, and takes each envelope back once the access has ended, so
// the custodian's deposits return. The chain decides who may receive a key and when an
// envelope may go; the service only finds the work and does it.
import { u8aToHex } from '@polkadot/util';
import { eventFields, submit } from './chain.js';
import { wrapKey } from './crypto.js';
import { canAccess, publishedKey, unwrapDataKey } from './records.js';

/** The most ids `RecordsApi.records_of` returns in one page. */
const RECORDS_PAGE = 100;
/** Releases submitted in one `utility.batchAll`. */
const RELEASES_PER_BATCH = 50;

/** Every record id in `patient`'s file, page after page. */
export async function allRecordsOf(api, patient) {
  const ids = [];
  let after = null;
  for (;;) {
    const page = (await api.call.recordsApi.recordsOf(patient, after, RECORDS_PAGE)).map((id) => id.toNumber());
    ids.push(...page);
    if (page.length < RECORDS_PAGE) return ids;
    after = page[page.length - 1];
  }
}

/**
 * Wraps for `accessor` every key of `patient`'s records that the custodian holds in escrow and
 * may release now: the patient still consents to the custodian's emergency reads, the
 * accessor may read the record in an emergency, and has no envelope of it yet. Returns the ids
 * of the records released.
 */
export async function releaseEscrowedKeys(api, custodian, custodianKeys, patient, accessor) {
  const releases = [];
  let accessorKey = null;
  for (const record of await allRecordsOf(api, patient)) {
    if ((await api.query.records.keyEnvelopes(record, custodian.address)).isNone) continue;
    if ((await api.query.records.keyEnvelopes(record, accessor)).isSome) continue;
    // The chain refuses a release whose escrow consent was withdrawn, or to someone who may
    // not read; asking first keeps one refusal from failing the whole batch.
    const escrow = await canAccess(api, custodian.address, record, 'Read', 'Emergency');
    if (!escrow.allowed || escrow.reason !== 'Consent') continue;
    if (!(await canAccess(api, accessor, record, 'Read', 'Emergency')).allowed) continue;
    accessorKey ??= await publishedKey(api, accessor);
    const dataKey = await unwrapDataKey(api, record, custodian.address, custodianKeys);
    releases.push({ record, wrapped: u8aToHex(wrapKey(dataKey, accessorKey)) });
  }
  for (let start = 0; start < releases.length; start += RELEASES_PER_BATCH) {
    const calls = releases.slice(start, start + RELEASES_PER_BATCH)
      .map(({ record, wrapped }) => api.tx.records.addKeyEnvelope(record, accessor, wrapped));
    await submit(api, custodian, calls.length === 1 ? calls[0] : api.tx.utility.batchAll(calls));
  }
  return releases.map(({ record }) => record);
}

/** Every break-glass access still running on chain, as `{ patient, accessor }`. */
export async function runningEmergencyAccesses(api) {
  const now = (await api.query.timestamp.now()).toNumber();
  const running = [];
  for (const [key, open] of await api.query.consent.openEmergencyAccesses.entries()) {
    if (open.unwrap().expiresAt.toNumber() <= now) continue;
    const [patient, accessor] = key.args.map(String);
    running.push({ patient, accessor });
  }
  return running;
}

/**
 * Removes the envelopes in `releases` (`{ record, accessor }` the custodian released) whose
 * accessor may no longer read in an emergency, returning the custodian's deposits. Each
 * removal stands alone (`utility.forceBatch`): the chain keeps an envelope its holder still
 * needs under another consent. Returns `{ removed, kept }`: the releases taken back, and those
 * to try again later.
 */
export async function takeBackEndedReleases(api, custodian, releases) {
  const ended = [];
  const kept = [];
  for (const release of releases) {
    const envelope = await api.query.records.keyEnvelopes(release.record, release.accessor);
    // Removed already (by the patient, the holder or an erasure), or no longer ours.
    if (envelope.isNone || envelope.unwrap().deposit.depositor.toString() !== custodian.address) continue;
    const access = await canAccess(api, release.accessor, release.record, 'Read', 'Emergency');
    (access.allowed ? kept : ended).push(release);
  }
  if (ended.length > 0) {
    const calls = ended.map(({ record, accessor }) => api.tx.records.removeKeyEnvelope(record, accessor));
    await submit(api, custodian, calls.length === 1 ? calls[0] : api.tx.utility.forceBatch(calls));
  }
  const removed = [];
  for (const release of ended) {
    const envelope = await api.query.records.keyEnvelopes(release.record, release.accessor);
    (envelope.isNone ? removed : kept).push(release);
  }
  return { removed, kept };
}

/**
 * Serves emergencies until `stop()` is awaited. At start, and again every `rescanBlocks`
 * blocks, it serves every running break-glass access, so nothing is missed while it was down,
 * while an accessor had no published key yet, or in a block a reorganisation replaced, and it
 * takes back the envelopes of accesses that have ended. In between, it serves each
 * `EmergencyAccessGranted` of every new block (none skipped when blocks come fast). Work is
 * done one step at a time.
 *
 * `releases` are envelopes released before (say, by an earlier run) still to take back;
 * `onChange(releases)` is called whenever that list changes, so it can be kept across runs.
 * `onRelease({ patient, accessor, records })` and `onTakeBack({ record, accessor })` report the
 * work, `onError(error)` each failure; the service keeps running after either.
 */
export async function serveEmergencies(api, custodian, custodianKeys, options = {}) {
  const {
    onRelease = () => {}, onTakeBack = () => {}, onError = () => {}, onChange = () => {},
    rescanBlocks = 20,
  } = options;
  let releases = [...(options.releases ?? [])];
  let queue = Promise.resolve();
  const step = (work) => {
    queue = queue.then(work).catch(onError);
  };
  const serve = (patient, accessor) => step(async () => {
    const records = await releaseEscrowedKeys(api, custodian, custodianKeys, patient, accessor);
    if (records.length === 0) return;
    releases = [...releases, ...records.map((record) => ({ record, accessor }))];
    onChange(releases);
    onRelease({ patient, accessor, records });
  });
  const rescan = () => step(async () => {
    for (const { patient, accessor } of await runningEmergencyAccesses(api)) serve(patient, accessor);
    const { removed, kept } = await takeBackEndedReleases(api, custodian, releases);
    if (kept.length !== releases.length) {
      releases = kept;
      onChange(releases);
    }
    removed.forEach(onTakeBack);
  });

  let lastBlock = (await api.rpc.chain.getHeader()).number.toNumber();
  rescan();
  const newBlocks = async (best) => {
    for (let number = lastBlock + 1; number <= best; number += 1) {
      const hash = await api.rpc.chain.getBlockHash(number);
      const events = await (await api.at(hash)).query.system.events();
      for (const { event } of events) {
        if (api.events.consent.EmergencyAccessGranted.is(event)) {
          const { patient, accessor } = eventFields(event);
          serve(patient.toString(), accessor.toString());
        }
      }
      if (number % rescanBlocks === 0) rescan();
    }
    lastBlock = Math.max(lastBlock, best);
  };
  let reading = Promise.resolve();
  const unsubscribe = await api.rpc.chain.subscribeNewHeads((header) => {
    const best = header.number.toNumber();
    reading = reading.then(() => newBlocks(best)).catch(onError);
  });
  return {
    async stop() {
      unsubscribe();
      await reading;
      await queue;
    },
  };
}
