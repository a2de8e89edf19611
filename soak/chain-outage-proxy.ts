import { connect, createServer, type Server, type Socket } from 'node:net';

/** Counts of a {@link ChainOutageProxy}: connections only, never what they carry. */
export interface ChainOutageProxyStats {
  /** Client connections accepted and forwarded. */
  connections: number;
  /** Open connections cut when an outage began. */
  cut: number;
  /** Outages begun. */
  outages: number;
}

/** A loopback TCP proxy in front of a chain node whose "node" can be taken down and brought back. */
export interface ChainOutageProxy {
  /** `http://127.0.0.1:<port>`: give it to the chain clients instead of the node's URL. */
  url: string;
  port: number;
  /** Whether the proxy is in an outage now. */
  readonly down: boolean;
  stats(): ChainOutageProxyStats;
  /**
   * Begins an outage, as if the node process had gone: stops listening
   * (new connections are refused) and cuts every open connection (calls in
   * flight fail). Does nothing while already down.
   */
  outage(): Promise<void>;
  /** Ends the outage: listens again on the same port. Does nothing while up. */
  restore(): Promise<void>;
  /** Closes the proxy for good (idempotent). */
  stop(): Promise<void>;
}

/**
 * Starts a loopback TCP proxy on `127.0.0.1:port` (0: a free port)
 * forwarding every connection to `target` (the chain node, e.g. the
 * embedded Hardhat node). The soak gives its URL to every chain client
 * (the issuers' status publishers, the terminal's sync) and "restarts the
 * chain node" with `outage()` … `restore()`: a restarted Hardhat node is a
 * new, empty chain (it keeps no state, and the pinned Hardhat 2.29.1 / EDR
 * has no state dump/load RPC), so the node itself keeps running behind the
 * proxy while its clients see it gone — connections refused, calls in
 * flight cut — and then back, with its state, as a persistent node (Besu)
 * would come back.
 *
 * @example
 * ```ts
 * const proxy = await startChainOutageProxy({ target: { host: '127.0.0.1', port: 8545 } });
 * await proxy.outage(); // clients get ECONNREFUSED
 * await proxy.restore(); // and the node is back, same URL
 * ```
 */
export async function startChainOutageProxy({ target, port = 0 }: { target: { host: string; port: number }; port?: number }): Promise<ChainOutageProxy> {
  const open = new Set<Socket>();
  const counts: ChainOutageProxyStats = { connections: 0, cut: 0, outages: 0 };
  let down = false;
  let stopped = false;

  const forward = (client: Socket): void => {
    counts.connections++;
    const upstream = connect({ host: target.host, port: target.port });
    open.add(client);
    open.add(upstream);
    const close = (): void => {
      client.destroy();
      upstream.destroy();
      open.delete(client);
      open.delete(upstream);
    };
    client.on('error', close).on('close', close);
    upstream.on('error', close).on('close', close);
    client.pipe(upstream);
    upstream.pipe(client);
  };

  const listen = (server: Server, on: number): Promise<number> =>
    new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen({ host: '127.0.0.1', port: on, exclusive: true }, () => {
        server.off('error', reject);
        resolve((server.address() as { port: number }).port);
      });
    });
  const close = (server: Server): Promise<void> => new Promise((resolve) => server.close(() => resolve()));

  let server = createServer(forward);
  const chosen = await listen(server, port);

  return {
    url: `http://127.0.0.1:${chosen}`,
    port: chosen,
    get down() {
      return down;
    },
    stats: () => ({ ...counts }),
    async outage() {
      if (down || stopped) return;
      down = true;
      counts.outages++;
      const closing = close(server);
      // Count client-side sockets only (each connection is a pair).
      counts.cut += [...open].filter((s) => s.localPort === chosen).length;
      for (const socket of open) socket.destroy();
      open.clear();
      await closing;
    },
    async restore() {
      if (!down || stopped) return;
      server = createServer(forward);
      // The port was ours a moment ago; another process could take it meanwhile: then this throws (the soak fails loudly).
      await listen(server, chosen);
      down = false;
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      for (const socket of open) socket.destroy();
      open.clear();
      if (!down) await close(server);
    },
  };
}
