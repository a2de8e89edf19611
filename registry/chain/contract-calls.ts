import type { Contract, TransactionReceipt } from 'ethers';
import { UrbisError } from '../../core/errors/urbis-error.js';
import { toChainError } from './chain-errors.js';

/**
 * Calls a view (or simulates a call) on a registry; reverts become Urbis
 * codes through the contract's own custom errors.
 */
export async function callView(contract: Contract, name: string, ...args: unknown[]): Promise<unknown> {
  try {
    return await contract.getFunction(name).staticCall(...args);
  } catch (error) {
    throw toChainError(error, name, { errors: contract.interface });
  }
}

/**
 * Sends a transaction to a registry and waits until it is mined; reverts
 * become Urbis codes through the contract's own custom errors.
 * @throws UrbisError `CHAIN_TX_REVERTED` when it is not mined, or a mapped code.
 */
export async function sendAndWait(contract: Contract, name: string, ...args: unknown[]): Promise<TransactionReceipt> {
  try {
    const tx = await contract.getFunction(name)(...args);
    const receipt = (await tx.wait()) as TransactionReceipt | null;
    if (receipt === null) throw new UrbisError('CHAIN_TX_REVERTED', `${name} was not mined`);
    return receipt;
  } catch (error) {
    throw toChainError(error, name, { errors: contract.interface });
  }
}

/**
 * An argument of the first `eventName` event a receipt carries from `contract`.
 * @throws UrbisError `CHAIN_TX_REVERTED` when the event is missing.
 */
export function eventArgument(contract: Contract, receipt: TransactionReceipt, eventName: string, argument: string): unknown {
  for (const log of receipt.logs) {
    const parsed = contract.interface.parseLog(log);
    if (parsed?.name === eventName) return parsed.args[argument];
  }
  throw new UrbisError('CHAIN_TX_REVERTED', `the transaction emitted no ${eventName} event`);
}
