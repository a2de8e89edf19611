import type { JsonRpcProvider } from 'ethers';
import { UrbisError } from '../../core/errors/urbis-error.js';
import { toChainError } from './chain-errors.js';

/**
 * The latest block number, asked with a raw `eth_blockNumber` (ethers'
 * `getBlockNumber()` answers from a cache unless the provider was made with
 * `cacheTimeout: -1`, as `connectChain` does).
 * @throws UrbisError `CHAIN_UNREACHABLE`.
 */
export async function headBlock(provider: JsonRpcProvider): Promise<number> {
  let answer: unknown;
  try {
    answer = await provider.send('eth_blockNumber', []);
  } catch (error) {
    throw toChainError(error, 'eth_blockNumber');
  }
  if (typeof answer !== 'string') throw new UrbisError('CHAIN_UNREACHABLE', 'eth_blockNumber gave no number');
  return Number(answer);
}
