// Runs the end-to-end flows of e2e/ (patient, provider, emergency, supply chain) against this
// network's node instead of a development node of their own.
const { execFileSync } = require('node:child_process');
const path = require('node:path');

async function run(nodeName, networkInfo) {
  const e2e = path.resolve(__dirname, '..', 'e2e');
  execFileSync(
    process.execPath,
    ['--test', '--test-concurrency=1', 'test/records-consent.test.js', 'test/supply-chain.test.js'],
    {
      cwd: e2e,
      stdio: 'inherit',
      env: { ...process.env, MEDCHAIN_WS: networkInfo.nodesByName[nodeName].wsUri },
    },
  );
  return 1;
}

module.exports = { run };
