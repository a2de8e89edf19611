import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { freePort, startHardhatNode, type HardhatNode } from '../testing/hardhat-node.js';
import { assertDeployed, connectChain, URBIS_LOCAL_CHAIN_ID } from './connect-chain.js';

describe('connectChain (real hardhat node)', () => {
  let node: HardhatNode;
  beforeAll(async () => {
    node = await startHardhatNode();
  }, 90_000);
  afterAll(async () => {
    await node?.stop();
  });

  it('connects to the embedded chain (id 7777)', async () => {
    const chain = await connectChain({ rpcUrl: node.url, chainId: URBIS_LOCAL_CHAIN_ID });
    expect(chain.chainId).toBe(7777);
    expect(await chain.provider.getBlockNumber()).toBeGreaterThanOrEqual(0);
    chain.close();
  });

  it('another chain id at that URL → CHAIN_ID_MISMATCH', async () => {
    await expect(connectChain({ rpcUrl: node.url, chainId: 1 })).rejects.toMatchObject({ code: 'CHAIN_ID_MISMATCH' });
  });

  it('nothing listening → CHAIN_UNREACHABLE', async () => {
    const port = await freePort();
    await expect(connectChain({ rpcUrl: `http://127.0.0.1:${port}`, chainId: 7777, timeoutMs: 2_000 })).rejects.toMatchObject({ code: 'CHAIN_UNREACHABLE' });
  });

  it('a URL that is not a URL → INVALID_ARGUMENT', async () => {
    await expect(connectChain({ rpcUrl: 'not a url', chainId: 7777 })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  it('no code at an address → CONTRACT_NOT_DEPLOYED', async () => {
    const chain = await connectChain({ rpcUrl: node.url, chainId: 7777 });
    await expect(assertDeployed({ provider: chain.provider, address: '0x000000000000000000000000000000000000dEaD', name: 'StatusRegistry' })).rejects.toMatchObject({
      code: 'CONTRACT_NOT_DEPLOYED',
    });
    chain.close();
  });
});
