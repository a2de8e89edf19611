import { SDJwtInstance } from '@sd-jwt/core';
import { digest, ES256 } from '@sd-jwt/crypto-nodejs';
import { generateKeyPairSync, sign as nodeSign, verify as nodeVerify } from 'node:crypto';
import { issueCredentialBatch } from '../core/issuance/issue-credential.js';
import { createMemoryReplayCache } from '../core/trust/replay-cache.js';
import { createTrustedIssuerLookup } from '../core/trust/trusted-issuer.js';
import { createCredentialKit, KIT_NONCE } from '../core/test-kit/credential-kit.js';
import { createPresentationVerifier } from '../core/verification/create-presentation-verifier.js';
import { measure, type Measurement } from './measure.js';

export interface CoreBenchResult {
  baseline: { es256VerifyPerSecond: number; es256SignPerSecond: number };
  verify: Record<string, Measurement & { ratioToRawVerify: number; ratioToLibrary?: number }>;
  issue: Measurement & { copiesPerBatch: number; ratioToTenRawSigns: number };
  presentationBytes: number;
}

const ROUNDS = 7;
const VERIFY_OPS = 300;
const POOL = (ROUNDS + 2) * VERIFY_OPS;

/**
 * Core benchmark (issue #2): presentation verification against raw ES256
 * verify and against sd-jwt-js, batch issuance against raw ES256 signs.
 * Everything is measured in this process, in this run.
 */
export async function benchCore({ log }: { log: (line: string) => void }): Promise<CoreBenchResult> {
  const kit = createCredentialKit({ now: Math.floor(Date.now() / 1000) });
  const claims = [['age_over_18'], ['address', 'locality']] as const;

  // Baselines: node:crypto ES256 on a JWS-sized input.
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const data = Buffer.from('x'.repeat(900));
  const signature = nodeSign('sha256', data, { key: privateKey, dsaEncoding: 'ieee-p1363' });
  const rawVerify = await measure({ run: () => nodeVerify('sha256', data, { key: publicKey, dsaEncoding: 'ieee-p1363' }, signature), opsPerRound: 2000, rounds: ROUNDS });
  const rawSign = await measure({ run: () => nodeSign('sha256', data, { key: privateKey, dsaEncoding: 'ieee-p1363' }), opsPerRound: 2000, rounds: ROUNDS });
  log(`baseline: ES256 verify ${rawVerify.opsPerSecond}/s, sign ${rawSign.opsPerSecond}/s`);

  // Presentations: every one from its own one-time copy with its own holder key (what a terminal sees).
  log(`preparing ${POOL} one-time copies and presentations…`);
  const fresh: string[] = [];
  for (let i = 0; i < POOL; i++) {
    const holder = kit.newHolder();
    const credential = await kit.issue({ format: 'dc+sd-jwt', holder, statusIndex: i });
    fresh.push(await kit.present({ credential, holder, claims }));
  }
  // And presentations from 10 copies only (holder keys already imported: the parsing/hashing overhead alone).
  const warmHolders = Array.from({ length: 10 }, () => kit.newHolder());
  const warmCredentials = await Promise.all(warmHolders.map((holder, i) => kit.issue({ format: 'dc+sd-jwt', holder, statusIndex: POOL + i })));
  const warm: string[] = [];
  for (let i = 0; i < POOL; i++) {
    warm.push(await kit.present({ credential: warmCredentials[i % 10]!, holder: warmHolders[i % 10]!, claims, nonce: `${KIT_NONCE}-${i}` }));
  }

  const trust = createTrustedIssuerLookup(kit.trustedIssuers);
  const urbisVerify = (pool: string[], nonceOf: (i: number) => string) => {
    const verify = createPresentationVerifier({ crypto: kit.crypto, trust, status: kit.status, replayCache: createMemoryReplayCache() });
    let failures = 0;
    return {
      run: async (i: number) => {
        const result = await verify({ presentation: pool[i]!, keyBinding: { nonce: nonceOf(i), audience: kit.audience }, now: kit.now });
        if (!result.ok) failures++;
      },
      failures: () => failures,
    };
  };
  const urbisFresh = urbisVerify(fresh, () => KIT_NONCE);
  const urbisFreshM = await measure({ run: urbisFresh.run, opsPerRound: VERIFY_OPS, rounds: ROUNDS });
  const urbisWarm = urbisVerify(warm, (i) => `${KIT_NONCE}-${i}`);
  const urbisWarmM = await measure({ run: urbisWarm.run, opsPerRound: VERIFY_OPS, rounds: ROUNDS });
  if (urbisFresh.failures() + urbisWarm.failures() > 0) throw new Error('benchmark presentations failed verification');

  // sd-jwt-js as its README wires it: @sd-jwt/crypto-nodejs ES256 (Web Crypto), holder key imported per presentation.
  const issuerVerifier = await ES256.getVerifier(kit.issuer.keyPair.publicJwk);
  const library = new SDJwtInstance({
    hasher: digest,
    verifier: issuerVerifier,
    kbVerifier: async (dataToVerify, sig, payload) => (await ES256.getVerifier(payload.cnf!.jwk))(dataToVerify, sig),
  });
  let libraryFailures = 0;
  const libraryM = await measure({
    run: async (i) => {
      try {
        await library.verify(fresh[i % fresh.length]!, { keyBindingNonce: KIT_NONCE, currentDate: kit.now });
      } catch {
        libraryFailures++;
      }
    },
    opsPerRound: 100,
    rounds: 5,
  });
  if (libraryFailures > 0) throw new Error(`sd-jwt-js rejected ${libraryFailures} benchmark presentations`);

  // sd-jwt-js with Urbis' node:crypto ports (its own overhead, without Web Crypto's).
  const libraryNode = new SDJwtInstance({
    hasher: (d, alg) => kit.crypto.hash(typeof d === 'string' ? d : new Uint8Array(d), alg as 'sha-256'),
    verifier: (d, sig) => kit.crypto.verifySignature({ alg: 'ES256', publicJwk: kit.issuer.keyPair.publicJwk, signingInput: d, signature: Buffer.from(sig, 'base64url') }),
    kbVerifier: (d, sig, payload) => kit.crypto.verifySignature({ alg: 'ES256', publicJwk: payload.cnf!.jwk as never, signingInput: d, signature: Buffer.from(sig, 'base64url') }),
  });
  const libraryNodeM = await measure({
    run: async (i) => {
      await libraryNode.verify(warm[i % warm.length]!, { keyBindingNonce: `${KIT_NONCE}-${i % warm.length}`, currentDate: kit.now });
    },
    opsPerRound: 200,
    rounds: 5,
  });

  const verify: CoreBenchResult['verify'] = {
    'urbis: fresh holder key per presentation': {
      ...urbisFreshM,
      ratioToRawVerify: ratio(urbisFreshM, rawVerify),
      ratioToLibrary: ratio(urbisFreshM, libraryM),
    },
    'urbis: holder keys already imported': {
      ...urbisWarmM,
      ratioToRawVerify: ratio(urbisWarmM, rawVerify),
      ratioToLibrary: ratio(urbisWarmM, libraryNodeM),
    },
    'sd-jwt-js 0.19 (crypto-nodejs, Web Crypto)': { ...libraryM, ratioToRawVerify: ratio(libraryM, rawVerify) },
    'sd-jwt-js 0.19 with node:crypto ports, keys imported': { ...libraryNodeM, ratioToRawVerify: ratio(libraryNodeM, rawVerify) },
  };

  // Issuance: a batch of 10 one-time copies vs 10 raw signs.
  const batchHolders = Array.from({ length: 10 }, () => kit.newHolder().keyPair.publicJwk);
  let batchNo = 0;
  const issueM = await measure({
    run: async () => {
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
    },
    opsPerRound: 100,
    rounds: ROUNDS,
  });
  const tenSignsPerSecond = rawSign.opsPerSecond / 10;
  return {
    baseline: { es256VerifyPerSecond: rawVerify.opsPerSecond, es256SignPerSecond: rawSign.opsPerSecond },
    verify,
    issue: { ...issueM, copiesPerBatch: 10, ratioToTenRawSigns: Number((issueM.opsPerSecond / tenSignsPerSecond).toFixed(3)) },
    presentationBytes: Math.round(fresh.reduce((n, p) => n + p.length, 0) / fresh.length),
  };
}

function ratio(a: Measurement, b: Measurement): number {
  return Number((a.opsPerSecond / b.opsPerSecond).toFixed(3));
}
