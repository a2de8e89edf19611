import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/** One JSON-RPC call seen by the proxy. */
export interface RpcCall {
  method: string;
  params: unknown;
}

/**
 * What the proxy does to a matching call:
 * - `drop`: closes the connection without an answer (the client sees a reset);
 * - `hang`: never answers (the client times out);
 * - `delay`: answers after `ms`;
 * - `rpc-error`: answers a JSON-RPC error `{ code, message }`;
 * - `http-error`: answers an HTTP error status.
 */
export type FaultAction =
  | { kind: 'drop' }
  | { kind: 'hang' }
  | { kind: 'delay'; ms: number }
  | { kind: 'rpc-error'; code: number; message: string }
  | { kind: 'http-error'; status: number };

/** A fault for some methods (all when `methods` is absent), `times` times (forever when absent). */
export interface FaultRule {
  methods?: readonly string[];
  action: FaultAction;
  /**
   * Apply the fault after forwarding the call to the node (the node executes
   * it; only the answer is lost, late or replaced): the nastiest case for a
   * transaction, which lands while the client does not know.
   */
  afterForward?: boolean;
  times?: number;
}

/** Hooks, called in order for every call: before forwarding (return 'drop' to swallow it) and after the node answered. */
export interface FaultProxyHooks {
  beforeForward?: (call: RpcCall) => void | 'drop' | Promise<void | 'drop'>;
  afterForward?: (call: RpcCall) => void | Promise<void>;
}

/** A loopback JSON-RPC proxy in front of a node, injecting faults. */
export interface FaultProxy {
  url: string;
  /** Points the proxy at another node (e.g. a restarted one). */
  setTarget(url: string): void;
  /** Adds a rule; returns a function removing it. */
  addRule(rule: FaultRule): () => void;
  clearRules(): void;
  hooks: FaultProxyHooks;
  /** How many calls of `method` (all calls without it) the proxy received. */
  seen(method?: string): number;
  close(): Promise<void>;
}

/**
 * Starts a JSON-RPC proxy on 127.0.0.1 (free port) forwarding to `target`,
 * with fault rules and hooks, for chain-outage tests (DESIGN §6: a restarted
 * Hardhat node is a new chain, so outages are simulated here).
 *
 * @example
 * ```ts
 * const proxy = await startFaultProxy({ target: node.url });
 * const remove = proxy.addRule({ action: { kind: 'drop' } }); // outage
 * // … later
 * remove(); // recovered
 * proxy.addRule({ methods: ['eth_sendRawTransaction'], action: { kind: 'drop' }, afterForward: true, times: 1 }); // lost response
 * ```
 */
export async function startFaultProxy({ target }: { target: string }): Promise<FaultProxy> {
  let upstream = target;
  const rules: { rule: FaultRule; left: number }[] = [];
  const counts = new Map<string, number>();
  const sockets = new Set<Socket>();
  const hooks: FaultProxyHooks = {};

  const take = (calls: readonly RpcCall[], afterForward: boolean): FaultAction | undefined => {
    for (const entry of rules) {
      if ((entry.rule.afterForward ?? false) !== afterForward || entry.left <= 0) continue;
      const methods = entry.rule.methods;
      if (methods !== undefined && !calls.some((c) => methods.includes(c.method))) continue;
      entry.left -= 1;
      return entry.rule.action;
    }
    return undefined;
  };

  const apply = async (action: FaultAction, body: unknown, res: ServerResponse, req: IncomingMessage, forwarded?: { status: number; text: string }): Promise<void> => {
    switch (action.kind) {
      case 'drop':
        req.socket.destroy();
        return;
      case 'hang':
        return; // the socket is destroyed when the client gives up or the proxy closes
      case 'delay':
        await new Promise((resolve) => setTimeout(resolve, action.ms));
        if (forwarded !== undefined) return answer(res, forwarded.status, forwarded.text);
        return forward(body, res);
      case 'rpc-error': {
        const error = { code: action.code, message: action.message };
        const reply = Array.isArray(body) ? body.map((c: { id?: unknown }) => ({ jsonrpc: '2.0', id: c.id ?? null, error })) : { jsonrpc: '2.0', id: (body as { id?: unknown }).id ?? null, error };
        return answer(res, 200, JSON.stringify(reply));
      }
      case 'http-error':
        return answer(res, action.status, 'fault injected');
    }
  };

  const callUpstream = async (body: unknown): Promise<{ status: number; text: string }> => {
    const response = await fetch(upstream, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return { status: response.status, text: await response.text() };
  };

  const forward = async (body: unknown, res: ServerResponse): Promise<void> => {
    const { status, text } = await callUpstream(body);
    answer(res, status, text);
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      void (async () => {
        let body: unknown;
        try {
          body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        } catch {
          return answer(res, 400, 'not JSON');
        }
        const calls = (Array.isArray(body) ? body : [body]).map((c: { method?: unknown; params?: unknown }) => ({ method: String(c.method), params: c.params }));
        for (const call of calls) counts.set(call.method, (counts.get(call.method) ?? 0) + 1);
        for (const call of calls) if ((await hooks.beforeForward?.(call)) === 'drop') return void req.socket.destroy();
        const before = take(calls, false);
        if (before !== undefined) return apply(before, body, res, req);
        let forwarded: { status: number; text: string };
        try {
          forwarded = await callUpstream(body);
        } catch {
          return void req.socket.destroy(); // the node is down: the client sees a reset
        }
        for (const call of calls) await hooks.afterForward?.(call);
        const after = take(calls, true);
        if (after !== undefined) return apply(after, body, res, req, forwarded);
        answer(res, forwarded.status, forwarded.text);
      })().catch(() => req.socket.destroy());
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address !== 'object') throw new Error('the fault proxy has no port');

  return {
    url: `http://127.0.0.1:${address.port}`,
    hooks,
    setTarget: (url) => {
      upstream = url;
    },
    addRule: (rule) => {
      const entry = { rule, left: rule.times ?? Number.POSITIVE_INFINITY };
      rules.push(entry);
      return () => {
        const i = rules.indexOf(entry);
        if (i >= 0) rules.splice(i, 1);
      };
    },
    clearRules: () => {
      rules.length = 0;
    },
    seen: (method) => (method === undefined ? [...counts.values()].reduce((a, b) => a + b, 0) : (counts.get(method) ?? 0)),
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function answer(res: ServerResponse, status: number, text: string): void {
  if (res.destroyed || res.writableEnded) return;
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(text);
}
