// Pharmacy, wholesaler and manufacturer steps of drug traceability, and what a scanner asks.
import { stringToU8a, u8aToString } from '@polkadot/util';

/** An SGTIN as the runtime takes it: GTIN-14 and serial, both ASCII. */
export function sgtin(gtin, serial) {
  return { gtin: stringToU8a(gtin), serial };
}

/** What a pharmacy scanner or a patient sees for a pack: `SupplyChainApi_verify`. */
export async function verifyPack(api, gtin, serial) {
  const result = await api.call.supplyChainApi.verify(sgtin(gtin, serial));
  const custody = result.custody.isSome ? result.custody.unwrap() : null;
  return {
    status: result.status.type,
    gtin: u8aToString(result.gtin),
    lot: result.lot.isSome ? u8aToString(result.lot.unwrap()) : null,
    expiry: result.expiry.isSome ? u8aToString(result.expiry.unwrap()) : null,
    custodian: custody?.isHeld ? custody.asHeld.toNumber() : null,
    inTransit: custody?.isInTransit ?? false,
    container: result.container.isSome ? u8aToString(result.container.unwrap()) : null,
  };
}

/** The pack's EPCIS history, oldest first: business step, disposition and organisation. */
export async function packHistory(api, gtin, serial) {
  const entries = await api.call.supplyChainApi.history(sgtin(gtin, serial), 0, 100);
  return entries.map(([epc, entry]) => ({
    epc: epc.type,
    bizStep: entry.epcis.bizStep.type,
    disposition: entry.epcis.disposition.type,
    org: entry.epcis.org.toNumber(),
  }));
}
