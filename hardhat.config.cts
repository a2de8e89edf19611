/**
 * Hardhat 2 configuration (DESIGN.md §6). A `.cts` file because the package
 * is ESM. Solidity is compiled offline with the npm `solc` (solc-js 0.8.30):
 * the compiler-build subtask is overridden so that Hardhat never tries to
 * download a compiler (the download host is unreachable on these machines).
 */
import type { HardhatUserConfig } from 'hardhat/types/index.js';

require('@nomicfoundation/hardhat-ethers');
const { subtask } = require('hardhat/config') as typeof import('hardhat/config');
const { TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD } = require('hardhat/builtin-tasks/task-names') as typeof import('hardhat/builtin-tasks/task-names');

/** The one compiler version Urbis uses, shipped by the npm `solc` package. */
const SOLC_VERSION = '0.8.30';

subtask(TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD, async (args: { solcVersion: string }, _hre, runSuper) => {
  if (args.solcVersion !== SOLC_VERSION) return runSuper();
  const solc = require('solc') as { version(): string };
  return {
    compilerPath: require.resolve('solc/soljson.js'),
    isSolcJs: true,
    version: SOLC_VERSION,
    longVersion: solc.version(),
  };
});

const config: HardhatUserConfig = {
  solidity: {
    version: SOLC_VERSION,
    settings: { evmVersion: 'paris', optimizer: { enabled: true, runs: 200 } },
  },
  paths: {
    sources: './contracts/src',
    tests: './contracts/hardhat-tests',
    cache: './.hardhat/cache',
    artifacts: './.hardhat/artifacts',
  },
  networks: {
    // The embedded chain (DESIGN §3): chain id 7777, also for `hardhat node`.
    hardhat: { chainId: 7777 },
  },
};

module.exports = config;
