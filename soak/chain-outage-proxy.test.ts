import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startChainOutageProxy, type ChainOutageProxy } from './chain-outage-proxy.js';

/**
 * The soak's chain outage: a loopback TCP proxy in front of a JSON-RPC
 * server (here a stand-in answering eth_chainId; the soak puts the Hardhat
 * node behind it) refuses connections and cuts open ones while down, and
 * forwards again, on the same port, once restored.
 */
describe('chain outage proxy', () => {
  let node: Server;
  let proxy: ChainOutageProxy;
  /** Requests held open by the node (to be cut by an outage). */
  let hold = false;

  const rpc = (url: string): Promise<Response> =>
    fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', connection: 'close' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_chainId', params: [] }) });

  beforeAll(async () => {
    node = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        if (hold) return; // never answers: the call stays in flight
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ jsonrpc: '2.0', id: 1, result: '0x1e61' }));
      });
    });
    await new Promise<void>((resolve) => node.listen(0, '127.0.0.1', resolve));
    proxy = await startChainOutageProxy({ target: { host: '127.0.0.1', port: (node.address() as AddressInfo).port } });
  });

  afterAll(async () => {
    await proxy.stop();
    node.closeAllConnections();
    await new Promise<void>((resolve) => node.close(() => resolve()));
  });

  it('forwards JSON-RPC calls to the node while up', async () => {
    expect(proxy.url).toBe(`http://127.0.0.1:${proxy.port}`);
    expect(proxy.down).toBe(false);
    const answer = await rpc(proxy.url);
    expect(await answer.json()).toEqual({ jsonrpc: '2.0', id: 1, result: '0x1e61' });
    expect(proxy.stats().connections).toBeGreaterThanOrEqual(1);
  });

  it('during an outage refuses new connections and cuts the calls in flight; restored, it answers again on the same URL', async () => {
    hold = true;
    const inFlight = rpc(proxy.url);
    // Wait until the held call has reached the node through the proxy.
    while (proxy.stats().connections < 2) await new Promise((resolve) => setTimeout(resolve, 10));
    await new Promise((resolve) => setTimeout(resolve, 50));
    await proxy.outage();
    expect(proxy.down).toBe(true);
    await expect(inFlight).rejects.toThrow();
    await expect(rpc(proxy.url)).rejects.toMatchObject({ cause: expect.objectContaining({ code: 'ECONNREFUSED' }) });
    expect(proxy.stats()).toMatchObject({ outages: 1, cut: 1 });

    hold = false;
    await proxy.outage(); // already down: nothing more
    expect(proxy.stats().outages).toBe(1);
    await proxy.restore();
    expect(proxy.down).toBe(false);
    expect((await rpc(proxy.url)).status).toBe(200);
    await proxy.restore(); // already up: nothing
    expect((await rpc(proxy.url)).status).toBe(200);
  });

  it('stopped, it refuses for good and outage/restore do nothing', async () => {
    const other = await startChainOutageProxy({ target: { host: '127.0.0.1', port: (node.address() as AddressInfo).port } });
    expect((await rpc(other.url)).status).toBe(200);
    await other.stop();
    await other.stop();
    await other.restore();
    await expect(rpc(other.url)).rejects.toThrow();
    await other.outage();
    expect(other.stats().outages).toBe(0);
  });
});
