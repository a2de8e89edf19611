import { SDJwtInstance } from '@sd-jwt/core';
import { digest, ES256 } from '@sd-jwt/crypto-nodejs';
import { generateKeyPairSync, sign as nodeSign, verify as nodeVerify } from 'node:crypto';
import { issueCredentialBatch } from '../core/issuance/issue-credential.js';
import { createCredentialKit, KIT_NONCE } from '../core/test-kit/credential-kit.js';
import { createMemoryReplayCache } from '../core/trust/replay-cache.js';
import { createTrustedIssuerLookup } from '../core/trust/trusted-issuer.js';
import { createPresentationVerifier } from '../core/verification/create-presentation-verifier.js';
import { compare, type Comparison } from './measure.js';

export interface CoreBenchResult {
  verify: Record<string, Comparison & { baselineName: string }>;
  issue: Comparison & { baselineName: string; copiesPerBatch: number };
  presentationBytes: number;
}

const ROUNDS = 9;
const WARMUP = 2;
const VERIFY_OPS = 200;
const POOL = (ROUNDS + WARMUP) * VERIFY_OPS;

/**
 * Core benchmark (issue #2). Every figure is a ratio to a baseline measured
 * in alternating rounds of the same run: presentation verification against
 * node:crypto ES256 verify and against sd-jwt-js, batch issuance against
 * ten node:crypto ES256 signs.
 */
export async function benchCore({ log }: { log: (line: string) => void }): Promise<CoreBenchResult> {
  const kit = createCredentialKit({ now: Math.floor(Date.now() / 1000) });
  const claims = [['age_over_18'], ['address', 'locality']] as const;
  const opts = { rounds: ROUNDS, warmupRounds: WARMUP };

  // Baselines: node:crypto ES256 on an input the size of a signed credential.
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const data = Buffer.from('x'.repeat(1200));
  const signature = nodeSign('sha256', data, { key: privateKey, dsaEncoding: 'ieee-p1363' });
  const rawVerify = (): boolean => nodeVerify('sha256', data, { key: publicKey, dsaEncoding: 'ieee-p1363' }, signature);
  const rawSign = (): Buffer => nodeSign('sha256', data, { key: privateKey, dsaEncoding: 'ieee-p1363' });

  log('issuance: a batch of 10 one-time copies vs 10 ES256 signs…');
  const batchHolders = Array.from({ length: 10 }, () => kit.newHolder().keyPair.publicJwk);
  let batchNo = 0;
  const issueBatch = async (): Promise<void> => {
    const base = (batchNo++ * 10) % 100_000;
    await issueCredentialBatch({
      format: 'dc+sd-jwt',
      type: 'ResidentCredential',
      claims: kit.residentClaims,
      issuer: { id: kit.issuer.id, signingKey: kit.issuer.signingKey },
      statusListUri: kit.statusListUri,
      validFrom: kit.now,
      validUntil: kit.now + 86_400 * 365,
      crypto: kit.crypto,
      copies: batchHolders.map((holderPublicJwk, k) => ({ holderPublicJwk, statusIndex: base + k })),
    });
  };
  const tenSigns = (): void => {
    for (let k = 0; k < 10; k++) rawSign();
  };
  const issue = await compare({ subject: issueBatch, baseline: tenSigns, subjectOpsPerRound: 40, baselineOpsPerRound: 40, ...opts });

  // Presentations, each from its own one-time copy with its own holder key (what a terminal sees) …
  log(`preparing ${POOL} one-time copies and presentations…`);
  const fresh: string[] = [];
  for (let i = 0; i < POOL; i++) {
    const holder = kit.newHolder();
    const credential = await kit.issue({ format: 'dc+sd-jwt', holder, statusIndex: i });
    fresh.push(await kit.present({ credential, holder, claims }));
  }
  // … and from 10 copies only, so that holder keys are already imported (the verifier's own overhead).
  const warmHolders = Array.from({ length: 10 }, () => kit.newHolder());
  const warmCredentials = await Promise.all(warmHolders.map((holder, i) => kit.issue({ format: 'dc+sd-jwt', holder, statusIndex: POOL + i })));
  const warm: string[] = [];
  for (let i = 0; i < POOL; i++) {
    warm.push(await kit.present({ credential: warmCredentials[i % 10]!, holder: warmHolders[i % 10]!, claims, nonce: `${KIT_NONCE}-${i}` }));
  }

  const trust = createTrustedIssuerLookup(kit.trustedIssuers);
  /** A fresh terminal verifier (own replay cache) over a pool; throws if anything is rejected. */
  const urbis = (pool: string[], nonceOf: (i: number) => string) => {
    const verify = createPresentationVerifier({ crypto: kit.crypto, trust, status: kit.status, replayCache: createMemoryReplayCache() });
    return async (i: number): Promise<void> => {
      const result = await verify({ presentation: pool[i % pool.length]!, keyBinding: { nonce: nonceOf(i % pool.length), audience: kit.audience }, now: kit.now });
      if (!result.ok) throw new Error(`benchmark presentation rejected: ${result.failures.map((f) => f.code).join(', ')}`);
    };
  };
  const freshNonce = (): string => KIT_NONCE;
  const warmNonce = (i: number): string => `${KIT_NONCE}-${i}`;

  // sd-jwt-js as its README wires it: @sd-jwt/crypto-nodejs ES256 (Web Crypto), holder key imported per presentation.
  const library = new SDJwtInstance({
    hasher: digest,
    verifier: await ES256.getVerifier(kit.issuer.keyPair.publicJwk),
    kbVerifier: async (d, sig, payload) => (await ES256.getVerifier(payload.cnf!.jwk))(d, sig),
  });
  const libraryVerify = async (i: number): Promise<void> => {
    await library.verify(fresh[i % fresh.length]!, { keyBindingNonce: KIT_NONCE, currentDate: kit.now });
  };
  // sd-jwt-js with Urbis' node:crypto ports and imported keys: the library's own overhead.
  const libraryNode = new SDJwtInstance({
    hasher: (d, alg) => kit.crypto.hash(typeof d === 'string' ? d : new Uint8Array(d), alg as 'sha-256'),
    verifier: (d, sig) => kit.crypto.verifySignature({ alg: 'ES256', publicJwk: kit.issuer.keyPair.publicJwk, signingInput: d, signature: Buffer.from(sig, 'base64url') }),
    kbVerifier: (d, sig, payload) => kit.crypto.verifySignature({ alg: 'ES256', publicJwk: payload.cnf!.jwk as never, signingInput: d, signature: Buffer.from(sig, 'base64url') }),
  });
  const libraryNodeVerify = async (i: number): Promise<void> => {
    await libraryNode.verify(warm[i % warm.length]!, { keyBindingNonce: warmNonce(i % warm.length), currentDate: kit.now });
  };

  log('verification: Urbis vs node:crypto ES256 verify…');
  const freshVsRaw = await compare({ subject: urbis(fresh, freshNonce), baseline: rawVerify, subjectOpsPerRound: VERIFY_OPS, baselineOpsPerRound: 2 * VERIFY_OPS, ...opts });
  const warmVsRaw = await compare({ subject: urbis(warm, warmNonce), baseline: rawVerify, subjectOpsPerRound: VERIFY_OPS, baselineOpsPerRound: 2 * VERIFY_OPS, ...opts });
  log('verification: Urbis vs sd-jwt-js…');
  const freshVsLibrary = await compare({ subject: urbis(fresh, freshNonce), baseline: libraryVerify, subjectOpsPerRound: VERIFY_OPS, baselineOpsPerRound: 50, ...opts });
  const warmVsLibraryNode = await compare({ subject: urbis(warm, warmNonce), baseline: libraryNodeVerify, subjectOpsPerRound: VERIFY_OPS, baselineOpsPerRound: 100, ...opts });
  const libraryVsRaw = await compare({ subject: libraryVerify, baseline: rawVerify, subjectOpsPerRound: 50, baselineOpsPerRound: 2 * VERIFY_OPS, ...opts });

  const raw = 'node:crypto ES256 verify';
  return {
    verify: {
      'urbis, fresh holder key per presentation': { ...freshVsRaw, baselineName: raw },
      'urbis, holder keys already imported': { ...warmVsRaw, baselineName: raw },
      'urbis vs sd-jwt-js (crypto-nodejs, fresh holder keys)': { ...freshVsLibrary, baselineName: 'sd-jwt-js 0.19 verify with @sd-jwt/crypto-nodejs' },
      'urbis vs sd-jwt-js (node:crypto ports, keys imported)': { ...warmVsLibraryNode, baselineName: 'sd-jwt-js 0.19 verify with node:crypto ports' },
      'sd-jwt-js (crypto-nodejs) itself': { ...libraryVsRaw, baselineName: raw },
    },
    issue: { ...issue, baselineName: '10 × node:crypto ES256 sign', copiesPerBatch: 10 },
    presentationBytes: Math.round(fresh.reduce((n, p) => n + p.length, 0) / fresh.length),
  };
}
