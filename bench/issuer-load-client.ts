import { HolderKeyPool, holderKey, runConcurrentClients } from './issuer-bench.js';

/**
 * The issuer benchmark's load generator as a separate process (started by
 * `bench/issuer-bench.ts`, pinned to another core than the server): reads
 * `{ issuerUrl, tokens, warmupMs, windowMs }` as JSON on stdin, runs one
 * client loop per access token, writes the measured times as JSON on stdout.
 */
const chunks: Buffer[] = [];
for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
const { issuerUrl, tokens, warmupMs, windowMs } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { issuerUrl: string; tokens: string[]; warmupMs: number; windowMs: number };
const pool = new HolderKeyPool(Array.from({ length: 2_048 }, holderKey));
process.stdout.write(JSON.stringify(await runConcurrentClients({ issuerUrl, tokens, pool, warmupMs, windowMs })));
