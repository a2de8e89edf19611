import { FetchRequest, JsonRpcProvider, Network } from 'ethers';
import { UrbisError } from '../../core/errors/urbis-error.js';
import { toChainError } from '../chain/chain-errors.js';
import type { ChainConnection } from '../chain/connect-chain.js';

/** JSON-RPC traffic seen by a connection: HTTP request and response bodies, in bytes. */
export interface RpcTraffic {
  requests: number;
  requestBytes: number;
  responseBytes: number;
}

/** A chain connection that counts its JSON-RPC traffic. */
export interface CountingChainConnection extends ChainConnection {
  /** Running totals (read them before and after an operation, or pass to `syncSnapshot`). */
  traffic: RpcTraffic;
}

/** The traffic between two readings of a counter. */
export function trafficSince(before: RpcTraffic, after: RpcTraffic): RpcTraffic {
  return {
    requests: after.requests - before.requests,
    requestBytes: after.requestBytes - before.requestBytes,
    responseBytes: after.responseBytes - before.responseBytes,
  };
}

/**
 * Connects like `connectChain` (fixed network, no batching, request timeout,
 * chain id checked) with a provider whose every HTTP exchange is counted:
 * the bytes of each JSON-RPC request body sent and response body received
 * (HTTP headers not included). For measuring what a delta sync costs a
 * terminal on a metered link.
 *
 * @throws UrbisError `INVALID_ARGUMENT`, `CHAIN_UNREACHABLE`, `CHAIN_ID_MISMATCH`.
 *
 * @example
 * ```ts
 * const chain = await connectCountingChain({ rpcUrl, chainId: 7777 });
 * const before = { ...chain.traffic };
 * await syncSnapshot({ snapshot, chain, statusClient, trustClient });
 * trafficSince(before, chain.traffic).responseBytes;
 * ```
 */
export async function connectCountingChain({
  rpcUrl,
  chainId,
  timeoutMs = 10_000,
}: {
  rpcUrl: string;
  chainId: number;
  timeoutMs?: number;
}): Promise<CountingChainConnection> {
  let url: URL;
  try {
    url = new URL(rpcUrl);
  } catch (cause) {
    throw new UrbisError('INVALID_ARGUMENT', 'the RPC URL must be an http(s) URL', { cause });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UrbisError('INVALID_ARGUMENT', 'the RPC URL must be an http(s) URL');
  const traffic: RpcTraffic = { requests: 0, requestBytes: 0, responseBytes: 0 };
  const request = new FetchRequest(rpcUrl);
  request.timeout = timeoutMs;
  const getUrl = FetchRequest.createGetUrlFunc();
  request.getUrlFunc = async (req, signal) => {
    traffic.requests += 1;
    traffic.requestBytes += req.body?.length ?? 0;
    const response = await getUrl(req, signal);
    traffic.responseBytes += response.body?.length ?? 0;
    return response;
  };
  const network = Network.from(chainId);
  const provider = new JsonRpcProvider(request, network, { staticNetwork: network, batchMaxCount: 1 });
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
  return { provider, chainId, rpcUrl, close, traffic };
}
