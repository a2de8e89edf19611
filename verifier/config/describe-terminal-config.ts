import type { TerminalConfig } from './terminal-config.js';

/**
 * The configuration as an operator may see it: paths, ids, counts and the
 * RPC origin (no path, query or user information: they may carry a token);
 * signer keys as their `kid` or "key n".
 *
 * @example
 * ```ts
 * io.out(JSON.stringify(describeTerminalConfig(config), null, 2));
 * ```
 */
export function describeTerminalConfig(config: TerminalConfig): Record<string, unknown> {
  return {
    terminalId: config.terminalId,
    dataDir: config.dataDir,
    files: config.files,
    policies: config.policiesPath,
    services: [...config.policies.keys()],
    scannerService: config.scannerServiceId ?? null,
    snapshotSigners: config.snapshotSigners.map((jwk, i) => jwk.kid ?? `key ${i + 1}`),
    issuerKeys: config.issuerKeys === undefined ? null : Object.fromEntries(Object.entries(config.issuerKeys).map(([did, keys]) => [did, keys.length])),
    chain: config.chain === undefined ? null : { rpc: new URL(config.chain.rpcUrl).origin, chainId: config.chain.chainId },
    syncIntervalSeconds: config.syncIntervalSeconds,
    listen: `${config.host}:${config.port}`,
    reportTo: config.reportUrl === undefined ? null : new URL(config.reportUrl).origin,
  };
}
