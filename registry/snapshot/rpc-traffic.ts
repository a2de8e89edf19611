import { connectChain, type ChainConnection } from '../chain/connect-chain.js';

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
  const traffic: RpcTraffic = { requests: 0, requestBytes: 0, responseBytes: 0 };
  const chain = await connectChain({
    rpcUrl,
    chainId,
    timeoutMs,
    onExchange: ({ requestBytes, responseBytes }) => {
      traffic.requests += 1;
      traffic.requestBytes += requestBytes;
      traffic.responseBytes += responseBytes;
    },
  });
  return { ...chain, traffic };
}
