import { FetchRequest, JsonRpcProvider, Network, type JsonRpcPayload, type JsonRpcResult } from 'ethers';
import { UrbisError } from '../../../core/errors/urbis-error.js';
import type { SnapshotChain } from '../../../registry/snapshot/chain-state.js';

/**
 * The offline proof of issue #6: "the verification tests run with the
 * network adapter replaced by one that throws on any call".
 *
 * A terminal touches the network in one place only: the chain connection
 * its snapshot syncs through (`SnapshotChain`: an ethers `JsonRpcProvider`
 * and the chain id; the registry clients are built on that provider). It is
 * injected into `openTerminalSnapshot({ network })` / `sync({ network })`,
 * so a test passes {@link createOfflineNetwork}'s instead. The fetch
 * replacement covers anything that would use `fetch` (did:web resolution is
 * behind core's fetch port). Every refused call is recorded, so a test can
 * assert that verification made none: `expect(offline.attempts).toEqual([])`.
 *
 * Each refusal is an `UrbisError` `CHAIN_UNREACHABLE`: what a terminal sees
 * when the chain is down, so code under test takes its real offline path.
 * Test support only.
 */

/** One refused call: which JSON-RPC method, or `fetch`. No URLs, no bodies. */
export interface OfflineAttempt {
  via: 'json-rpc' | 'http' | 'fetch';
  method?: string;
}

/** A network adapter that refuses every call. */
export interface OfflineNetwork extends SnapshotChain {
  /** A `fetch` replacement that rejects every call. */
  fetch: typeof fetch;
  /** Every call refused so far, in order. */
  attempts: OfflineAttempt[];
}

/**
 * A chain connection (and a fetch) that throws on any call.
 *
 * @example
 * ```ts
 * const offline = createOfflineNetwork({ chainId: 7777 });
 * const snapshot = await openTerminalSnapshot({ path, trustedSigners, network: offline });
 * // … verify presentations …
 * expect(offline.attempts).toEqual([]);
 * expect(await snapshot.sync()).toMatchObject({ ok: false, code: 'CHAIN_UNREACHABLE' });
 * ```
 */
export function createOfflineNetwork({ chainId = 7777 }: { chainId?: number } = {}): OfflineNetwork {
  const attempts: OfflineAttempt[] = [];
  const provider = new OfflineJsonRpcProvider(chainId, attempts);
  const offlineFetch: typeof fetch = (input) => {
    void input;
    attempts.push({ via: 'fetch' });
    return Promise.reject(refusal('fetch'));
  };
  return { provider, chainId, fetch: offlineFetch, attempts };
}

/**
 * Replaces `globalThis.fetch` with one that rejects every call, until
 * `restore()`.
 *
 * @example
 * ```ts
 * const blocked = blockGlobalFetch();
 * try { await verify(...); } finally { blocked.restore(); }
 * expect(blocked.attempts).toEqual([]);
 * ```
 */
export function blockGlobalFetch(): { attempts: OfflineAttempt[]; restore(): void } {
  const original = globalThis.fetch;
  const { fetch: offlineFetch, attempts } = createOfflineNetwork();
  globalThis.fetch = offlineFetch;
  return {
    attempts,
    restore: () => {
      globalThis.fetch = original;
    },
  };
}

function refusal(what: string): UrbisError {
  return new UrbisError('CHAIN_UNREACHABLE', `offline: the network adapter refuses every call (${what})`);
}

/**
 * A `JsonRpcProvider` whose every request is refused before it reaches a
 * transport: `send` and `_send` reject, and its HTTP transport (never
 * reached) would too. A static network, so constructing it calls nothing.
 */
class OfflineJsonRpcProvider extends JsonRpcProvider {
  readonly #attempts: OfflineAttempt[];

  constructor(chainId: number, attempts: OfflineAttempt[]) {
    const request = new FetchRequest('http://offline.invalid/');
    request.getUrlFunc = () => {
      attempts.push({ via: 'http' });
      return Promise.reject(refusal('http'));
    };
    const network = Network.from(chainId);
    super(request, network, { staticNetwork: network, batchMaxCount: 1, cacheTimeout: -1 });
    this.#attempts = attempts;
  }

  override send(method: string, params: Array<unknown> | Record<string, unknown>): Promise<never> {
    void params;
    this.#attempts.push({ via: 'json-rpc', method });
    return Promise.reject(refusal(method));
  }

  override _send(payload: JsonRpcPayload | Array<JsonRpcPayload>): Promise<Array<JsonRpcResult>> {
    const methods = (Array.isArray(payload) ? payload : [payload]).map((p) => p.method);
    for (const method of methods) this.#attempts.push({ via: 'json-rpc', method });
    return Promise.reject(refusal(methods.join(', ')));
  }
}
