// Every block's author, as @polkadot/api derives it from the PoW pre-runtime digest, is one of
// the three sealers; the full node (//Dave) authored none.
async function run(nodeName, networkInfo) {
  const { ApiPromise, WsProvider, Keyring } = zombie;
  const api = await ApiPromise.create({ provider: new WsProvider(networkInfo.nodesByName[nodeName].wsUri) });
  const keyring = new Keyring({ type: 'sr25519' });
  const name = (uri) => keyring.addFromUri(uri).address;
  const sealers = new Set(['//Alice', '//Bob', '//Charlie'].map(name));
  const dave = name('//Dave');
  const best = (await api.rpc.chain.getHeader()).number.toNumber();
  const seen = new Set();
  for (let number = 1; number <= best; number += 1) {
    const hash = await api.rpc.chain.getBlockHash(number);
    const header = await api.derive.chain.getHeader(hash);
    const author = header.author?.toString();
    if (!author) throw new Error(`block ${number}: no author derived from its digest`);
    if (author === dave) throw new Error(`block ${number} was authored by the full node`);
    if (!sealers.has(author)) throw new Error(`block ${number}: author ${author} is not a sealer`);
    seen.add(author);
  }
  await api.disconnect();
  console.log(`blocks 1..${best} sealed by ${seen.size} distinct sealers`);
  return seen.size;
}

module.exports = { run };
