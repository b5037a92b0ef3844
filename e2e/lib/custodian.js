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
/** Calls submitted in one `utility.forceBatch`, well inside a block's weight. */
const CALLS_PER_BATCH = 50;
/** After a longer gap the service stops reading blocks one by one and rescans instead. */
const MAX_BLOCKS_TO_CATCH_UP = 100;
/** The longest wait, in blocks, before retrying a take-back the chain refused. */
const MAX_TAKE_BACK_BACKOFF = 512;

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
 * Submits `calls` signed by `signer`, at most `CALLS_PER_BATCH` to a `utility.forceBatch`, so
 * that one call the chain refuses does not take the others with it. Callers read back what
 * took effect.
 */
async function submitEach(api, signer, calls) {
  for (let start = 0; start < calls.length; start += CALLS_PER_BATCH) {
    const chunk = calls.slice(start, start + CALLS_PER_BATCH);
    try {
      await submit(api, signer, chunk.length === 1 ? chunk[0] : api.tx.utility.forceBatch(chunk));
    } catch (error) {
      // A lone call the chain refused; a refused batch item never rejects.
      if (!error.error) throw error;
    }
  }
}

/** Whether `holder`'s envelope of `record` exists and `depositor` paid for it. */
async function envelopeOf(api, record, holder, depositor) {
  const envelope = await api.query.records.keyEnvelopes(record, holder);
  return envelope.isSome && envelope.unwrap().deposit.depositor.toString() === depositor;
}

/**
 * Wraps for `accessor` every key of `patient`'s records that the custodian holds in escrow and
 * may release now: the patient still consents to the custodian's emergency reads, the
 * accessor may read the record in an emergency and has no envelope of it yet, and the record
 * has room for one more. `beforeSubmit(records)` learns what is about to be released before it
 * is sent, so nothing released goes untracked. Returns the ids of the records released.
 */
export async function releaseEscrowedKeys(api, custodian, custodianKeys, patient, accessor, options = {}) {
  const { beforeSubmit = () => {} } = options;
  const maxEnvelopes = api.consts.records.maxEnvelopesPerRecord.toNumber();
  const releases = [];
  let accessorKey = null;
  for (const record of await allRecordsOf(api, patient)) {
    if ((await api.query.records.keyEnvelopes(record, custodian.address)).isNone) continue;
    if ((await api.query.records.keyEnvelopes(record, accessor)).isSome) continue;
    const entry = await api.query.records.records(record);
    if (entry.isNone || entry.unwrap().envelopes.toNumber() >= maxEnvelopes) continue;
    // The chain refuses a release whose escrow consent was withdrawn, or to someone who may
    // not read: ask first rather than pay for a refusal.
    const escrow = await canAccess(api, custodian.address, record, 'Read', 'Emergency');
    if (!escrow.allowed || escrow.reason !== 'Consent') continue;
    if (!(await canAccess(api, accessor, record, 'Read', 'Emergency')).allowed) continue;
    accessorKey ??= await publishedKey(api, accessor);
    const dataKey = await unwrapDataKey(api, record, custodian.address, custodianKeys);
    releases.push({ record, wrapped: u8aToHex(wrapKey(dataKey, accessorKey)) });
  }
  if (releases.length === 0) return [];
  beforeSubmit(releases.map(({ record }) => record));
  await submitEach(api, custodian, releases.map(
    ({ record, wrapped }) => api.tx.records.addKeyEnvelope(record, accessor, wrapped),
  ));
  const released = [];
  for (const { record } of releases) {
    if (await envelopeOf(api, record, accessor, custodian.address)) released.push(record);
  }
  return released;
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
 * accessor may no longer read in an emergency, returning the custodian's deposits. Returns
 * `{ removed, kept }`: the releases taken back, and those to try again later. Envelopes
 * already gone, or no longer the custodian's, are dropped. The chain keeps an envelope its
 * holder still needs for another purpose or a consent yet to start; such a release is retried
 * after a wait that doubles each time (`nextTry`, a block number), up to
 * `MAX_TAKE_BACK_BACKOFF` blocks.
 */
export async function takeBackEndedReleases(api, custodian, releases, bestBlock) {
  const ended = [];
  const kept = [];
  for (const release of releases) {
    if ((release.nextTry ?? 0) > bestBlock) {
      kept.push(release);
      continue;
    }
    if (!(await envelopeOf(api, release.record, release.accessor, custodian.address))) continue;
    const access = await canAccess(api, release.accessor, release.record, 'Read', 'Emergency');
    (access.allowed ? kept : ended).push(release);
  }
  await submitEach(api, custodian, ended.map(
    ({ record, accessor }) => api.tx.records.removeKeyEnvelope(record, accessor),
  ));
  const removed = [];
  for (const release of ended) {
    if (!(await envelopeOf(api, release.record, release.accessor, custodian.address))) {
      removed.push({ record: release.record, accessor: release.accessor });
      continue;
    }
    const tries = (release.tries ?? 0) + 1;
    kept.push({ ...release, tries, nextTry: bestBlock + Math.min(2 ** tries, MAX_TAKE_BACK_BACKOFF) });
  }
  return { removed, kept };
}

/**
 * Serves emergencies until `stop()` is awaited. At start, and again every `rescanBlocks`
 * blocks, it serves every running break-glass access, so nothing is missed while it was down,
 * while an accessor had no published key yet, or in a block a reorganisation replaced, and it
 * takes back the envelopes of accesses that have ended. In between, it serves each
 * `EmergencyAccessGranted` of every new block (none skipped when blocks come fast; after a gap
 * of more than `MAX_BLOCKS_TO_CATCH_UP` blocks it rescans instead). Work is done one step at a
 * time; a step that fails is reported and the service goes on.
 *
 * `releases` are envelopes released before (say, by an earlier run) still to take back;
 * `onChange(releases)` is called whenever that list changes, so it can be kept across runs.
 * `onRelease({ patient, accessor, records })` and `onTakeBack({ record, accessor })` report the
 * work, `onError(error)` each failure.
 */
export async function serveEmergencies(api, custodian, custodianKeys, options = {}) {
  const {
    onRelease = () => {}, onTakeBack = () => {}, onError = () => {}, onChange = () => {},
    rescanBlocks = 20,
  } = options;
  if (!Number.isInteger(rescanBlocks) || rescanBlocks < 1) {
    throw new Error(`rescanBlocks must be a whole number of blocks, at least 1 (got ${rescanBlocks})`);
  }
  let releases = (options.releases ?? []).filter((release, index, all) => index === all.findIndex(
    (other) => other.record === release.record && other.accessor === release.accessor,
  ));
  const track = (records, accessor) => {
    const fresh = records
      .map((record) => ({ record, accessor }))
      .filter((release) => !releases.some((r) => r.record === release.record && r.accessor === release.accessor));
    if (fresh.length === 0) return;
    releases = [...releases, ...fresh];
    onChange(releases);
  };

  let stopped = false;
  let queue = Promise.resolve();
  const step = (work) => {
    if (stopped) return;
    queue = queue.then(work).catch(onError);
  };
  let bestBlock = (await api.rpc.chain.getHeader()).number.toNumber();
  const serve = (patient, accessor) => step(async () => {
    const records = await releaseEscrowedKeys(api, custodian, custodianKeys, patient, accessor, {
      beforeSubmit: (pending) => track(pending, accessor),
    });
    if (records.length > 0) onRelease({ patient, accessor, records });
  });
  const rescan = () => step(async () => {
    for (const { patient, accessor } of await runningEmergencyAccesses(api)) serve(patient, accessor);
    const { removed, kept } = await takeBackEndedReleases(api, custodian, releases, bestBlock);
    const changed = JSON.stringify(kept) !== JSON.stringify(releases);
    releases = kept;
    if (changed) onChange(releases);
    removed.forEach(onTakeBack);
  });

  let lastBlock = bestBlock;
  let blocksSinceRescan = 0;
  rescan();
  const newBlocks = async (best) => {
    bestBlock = Math.max(bestBlock, best);
    if (best - lastBlock > MAX_BLOCKS_TO_CATCH_UP) {
      lastBlock = best;
      blocksSinceRescan = 0;
      rescan();
      return;
    }
    for (let number = lastBlock + 1; number <= best; number += 1) {
      try {
        const hash = await api.rpc.chain.getBlockHash(number);
        const events = await (await api.at(hash)).query.system.events();
        for (const { event } of events) {
          if (api.events.consent.EmergencyAccessGranted.is(event)) {
            const { patient, accessor } = eventFields(event);
            serve(patient.toString(), accessor.toString());
          }
        }
      } catch (error) {
        // The next rescan serves what this block held.
        onError(error);
      }
      lastBlock = number;
      blocksSinceRescan += 1;
      if (blocksSinceRescan >= rescanBlocks) {
        blocksSinceRescan = 0;
        rescan();
      }
    }
  };
  let reading = Promise.resolve();
  const unsubscribe = await api.rpc.chain.subscribeNewHeads((header) => {
    const best = header.number.toNumber();
    reading = reading.then(() => newBlocks(best)).catch(onError);
  });
  return {
    async stop() {
      stopped = true;
      unsubscribe();
      await reading;
      // Steps already queued may queue more; wait until the queue is still.
      let settled;
      do {
        settled = queue;
        await settled;
      } while (settled !== queue);
    },
  };
}
