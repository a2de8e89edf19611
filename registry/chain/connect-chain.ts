import { FetchRequest, JsonRpcProvider, Network } from 'ethers';
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { UrbisError } from '../../core/errors/urbis-error.js';
import { toChainError } from './chain-errors.js';

/** The embedded Hardhat chain's id (DESIGN §3). */
export const URBIS_LOCAL_CHAIN_ID = 7777;

/** A JSON-RPC connection checked to be the expected chain. */
export interface ChainConnection {
  provider: JsonRpcProvider;
  chainId: number;
  rpcUrl: string;
  /** Closes the provider (stops polling). */
  close(): void;
}

/**
 * Connects to an EVM chain over JSON-RPC only (the embedded Hardhat node, or
 * any permissioned chain such as Hyperledger Besu QBFT), with a fixed network
 * (no network auto-detection, no retries behind the caller's back), a
 * request timeout and no response cache, then checks the chain id.
 *
 * @throws UrbisError `CHAIN_UNREACHABLE` (no answer in time, connection
 *   refused), `CHAIN_ID_MISMATCH` (another chain answers at that URL).
 *
 * @example
 * ```ts
 * const chain = await connectChain({ rpcUrl: 'http://127.0.0.1:8545', chainId: 7777 });
 * ```
 */
export async function connectChain({
  rpcUrl,
  chainId,
  timeoutMs = 10_000,
  onExchange,
}: {
  rpcUrl: string;
  chainId: number;
  timeoutMs?: number;
  /** Called after every HTTP exchange with the bytes of the JSON-RPC request and response bodies. */
  onExchange?: (exchange: { requestBytes: number; responseBytes: number }) => void;
}): Promise<ChainConnection> {
  let parsed: URL | undefined;
  try {
    parsed = new URL(rpcUrl);
  } catch {
    parsed = undefined;
  }
  if (parsed === undefined || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) {
    throw new UrbisError('INVALID_ARGUMENT', 'the RPC URL must be an http(s) URL');
  }
  const request = new FetchRequest(rpcUrl);
  request.timeout = timeoutMs;
  // One TCP connection per request: Node's default agent keeps sockets alive,
  // and a request written on a socket the server is just closing (Hardhat's
  // keep-alive timeout) fails with "socket hang up". JSON-RPC calls are few
  // and the connection cost is noise next to them.
  const agent = parsed.protocol === 'https:' ? new HttpsAgent({ keepAlive: false }) : new HttpAgent({ keepAlive: false });
  const getUrl = FetchRequest.createGetUrlFunc({ agent });
  request.getUrlFunc =
    onExchange === undefined
      ? getUrl
      : async (req, signal) => {
          const response = await getUrl(req, signal);
          onExchange({ requestBytes: req.body?.length ?? 0, responseBytes: response.body?.length ?? 0 });
          return response;
        };
  const network = Network.from(chainId);
  // cacheTimeout -1: ethers otherwise shares the answer of identical requests
  // for 250 ms, handing callers a stale block number, nonce or list sequence
  // right after their own transaction was mined.
  const provider = new JsonRpcProvider(request, network, {
    staticNetwork: network,
    batchMaxCount: 1,
    polling: true,
    pollingInterval: 250,
    cacheTimeout: -1,
  });
  const close = (): void => provider.destroy();
  let answered: unknown;
  try {
    answered = await provider.send('eth_chainId', []);
  } catch (error) {
    close();
    throw toChainError(error, 'the chain did not answer eth_chainId');
  }
  const actual = typeof answered === 'string' ? Number.parseInt(answered, 16) : Number.NaN;
  if (actual !== chainId) {
    close();
    throw new UrbisError('CHAIN_ID_MISMATCH', `the chain at that URL has id ${Number.isNaN(actual) ? 'unknown' : actual}, expected ${chainId}`);
  }
  return { provider, chainId, rpcUrl, close };
}

/**
 * Checks that contract code is deployed at `address`.
 * @throws UrbisError `CONTRACT_NOT_DEPLOYED`, `CHAIN_UNREACHABLE`.
 */
export async function assertDeployed({ provider, address, name }: { provider: JsonRpcProvider; address: string; name: string }): Promise<void> {
  let code: string;
  try {
    code = await provider.getCode(address);
  } catch (error) {
    throw toChainError(error, `could not read the code of ${name}`);
  }
  if (code === '0x' || code === '') throw new UrbisError('CONTRACT_NOT_DEPLOYED', `no ${name} is deployed at ${address}`);
}
