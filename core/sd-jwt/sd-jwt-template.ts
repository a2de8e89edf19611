import { digestBase64url } from '../crypto/digest-base64url.js';
import type { Base64urlHasher, Hasher, RandomBytes, SigningKey } from '../crypto/ports.js';
import { base64urlEncode, base64urlEncodeString } from '../encoding/base64url.js';
import { UrbisError } from '../errors/urbis-error.js';
import { MAX_DECOYS_PER_LEVEL, type DisclosureFrame } from './pack-claims.js';

/**
 * A compiled SD-JWT issuance template: for issuing many copies of the same
 * claims (DESIGN §2's batches of one-time copies) without redoing, per copy,
 * the work that does not change — serialising claim names and values,
 * walking the frame, encoding the header. Per copy it only draws salts and
 * decoys, hashes the disclosures, serialises the per-copy fields (holder
 * key, status) and signs.
 *
 * The output is an ordinary SD-JWT, the same as {@link issueSdJwt} would give
 * for the same payload and frame (tests check both against each other and
 * against sd-jwt-js). Frames over arrays are not compiled: use `issueSdJwt`.
 *
 * Salts are 144-bit (18 random bytes, 24 base64url characters): above the
 * 128 bits RFC 9901 §9.3 recommends, and aligned so that one base64url
 * encoding per copy yields every salt.
 */
export interface SdJwtTemplate {
  issue(args: {
    /** Fields that differ per copy (e.g. `cnf`, `status`), always in the clear. */
    perCopy: Record<string, unknown>;
    signingKey: SigningKey;
    hash: Hasher;
    hashBase64url?: Base64urlHasher | undefined;
    randomBytes: RandomBytes;
  }): Promise<string>;
}

/** Bytes of randomness per salt (144 bits, a multiple of 3 so salts align in base64url). */
export const TEMPLATE_SALT_BYTES = 18;
const SALT_CHARS = 24;

type LevelPlan = {
  /** `"name":value` members that stay in the clear and need no per-copy work. */
  plainMembers: string[];
  /**
   * Disclosable leaf claims: the base64url of the constant tail
   * `,"name",value]` of their disclosure. The per-copy head `["<salt>"` is
   * 27 bytes, a multiple of 3, so base64url(head + tail) is
   * base64url(head) + base64url(tail) and the tail is encoded once.
   */
  leaves: string[];
  /** Disclosable claims whose value has its own frame (recursive disclosure). */
  disclosableObjects: Array<{ nameJson: string; plan: LevelPlan }>;
  /** Claims in the clear whose value has its own frame (e.g. `credentialSubject`). */
  clearObjects: Array<{ nameJson: string; plan: LevelPlan }>;
  decoys: { min: number; max: number };
  /** The level's own `_sd_decoy` set `decoys`: applied even when the level has no disclosable claim. */
  fixedDecoys: boolean;
  saltCount: number;
};

/**
 * Compiles a template for `shared` (the claims every copy carries) and
 * `frame` (which of them are disclosable).
 *
 * @throws UrbisError `INVALID_ARGUMENT` (frame names a missing claim, or an
 *   array), `CLAIM_NAME_FORBIDDEN` (`_sd` or `...` as a claim name).
 *
 * @example
 * ```ts
 * const template = compileSdJwtTemplate({ shared: { iss, iat, exp, vct, given_name }, frame: { _sd: ['given_name'] }, header: { typ: 'dc+sd-jwt', kid }, decoys: { min: 1, max: 3 } });
 * const copy = await template.issue({ perCopy: { cnf: { jwk }, status }, signingKey, hash, hashBase64url, randomBytes });
 * ```
 */
export function compileSdJwtTemplate({
  shared,
  frame,
  header,
  decoys = { min: 0, max: 0 },
  writeSdAlg = true,
}: {
  shared: Record<string, unknown>;
  frame: DisclosureFrame;
  header: Record<string, unknown>;
  /**
   * Decoys per level that has disclosable claims, drawn per copy. A level's
   * `_sd_decoy` fixes its count instead, and applies even to a level
   * without disclosable claims (as in `packClaims`).
   */
  decoys?: { min: number; max: number };
  /**
   * Write `"_sd_alg":"sha-256"` in the payload (default). With `false` it is
   * left out: RFC 9901 §4.1.1 makes `sha-256` the value of an absent
   * `_sd_alg`, so verifiers (Urbis', sd-jwt-js) read the same SD-JWT, 20
   * bytes of JSON shorter.
   */
  writeSdAlg?: boolean;
}): SdJwtTemplate {
  if (!Number.isInteger(decoys.min) || !Number.isInteger(decoys.max) || decoys.min < 0 || decoys.max < decoys.min || decoys.max > MAX_DECOYS_PER_LEVEL) {
    throw new UrbisError('INVALID_ARGUMENT', `decoys must satisfy 0 ≤ min ≤ max ≤ ${MAX_DECOYS_PER_LEVEL}`);
  }
  const root = compileLevel(shared, frame, decoys);
  const sharedKeys = new Set(Object.keys(shared));
  const headers = new Map<string, string>();
  const encodedHeaderFor = (signingKey: SigningKey): string => {
    const cacheKey = `${signingKey.alg} ${signingKey.kid ?? ''}`;
    let encoded = headers.get(cacheKey);
    if (encoded === undefined) {
      const fullHeader: Record<string, unknown> = { alg: signingKey.alg, ...header };
      if (signingKey.kid !== undefined && fullHeader.kid === undefined) fullHeader.kid = signingKey.kid;
      fullHeader.alg = signingKey.alg;
      encoded = base64urlEncodeString(JSON.stringify(fullHeader));
      headers.set(cacheKey, encoded);
    }
    return encoded;
  };

  return {
    async issue({ perCopy, signingKey, hash, hashBase64url, randomBytes }) {
      for (const key of Object.keys(perCopy)) {
        if (sharedKeys.has(key) || key === '_sd' || key === '_sd_alg') {
          throw new UrbisError('INVALID_ARGUMENT', 'a per-copy field collides with a shared claim');
        }
      }
      const crypto = { hash, hashBase64url };
      const disclosures: string[] = [];
      const saltText = base64urlEncode(randomBytes(TEMPLATE_SALT_BYTES * countSalts(root)));
      let saltIndex = 0;
      const nextSalt = (): string => saltText.slice(SALT_CHARS * saltIndex, SALT_CHARS * ++saltIndex);
      // Awaited only when the hasher is asynchronous (Web Crypto); node:crypto's is not.
      const digest = (text: string): string | Promise<string> => digestBase64url(crypto, text);

      const buildLevel = async (plan: LevelPlan): Promise<string> => {
        const members = plan.plainMembers.slice();
        const digests: string[] = [];
        for (const tail of plan.leaves) {
          const encoded = base64urlEncodeString(`["${nextSalt()}"`) + tail;
          disclosures.push(encoded);
          const d = digest(encoded);
          digests.push(typeof d === 'string' ? d : await d);
        }
        for (const { nameJson, plan: child } of plan.disclosableObjects) {
          const encoded = base64urlEncodeString(`["${nextSalt()}",${nameJson},${await buildLevel(child)}]`);
          disclosures.push(encoded);
          const d = digest(encoded);
          digests.push(typeof d === 'string' ? d : await d);
        }
        for (const { nameJson, plan: child } of plan.clearObjects) members.push(`${nameJson}:${await buildLevel(child)}`);
        if (plan.fixedDecoys || plan.leaves.length + plan.disclosableObjects.length > 0) {
          const span = plan.decoys.max - plan.decoys.min;
          const count = plan.decoys.min + (span === 0 ? 0 : randomBytes(1)[0]! % (span + 1));
          if (count > 0) {
            const noise = randomBytes(16 * count);
            for (let i = 0; i < count; i++) {
              const d = digest(base64urlEncode(noise.subarray(16 * i, 16 * i + 16)));
              digests.push(typeof d === 'string' ? d : await d);
            }
          }
        }
        if (digests.length > 0) {
          digests.sort();
          members.push(`"_sd":["${digests.join('","')}"]`);
        }
        return `{${members.join(',')}}`;
      };

      const body = await buildLevel(root);
      const extra = Object.entries(perCopy).map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`);
      if (writeSdAlg) extra.push('"_sd_alg":"sha-256"');
      const payloadJson = extra.length === 0 ? body : body === '{}' ? `{${extra.join(',')}}` : `${body.slice(0, -1)},${extra.join(',')}}`;
      const signingInput = `${encodedHeaderFor(signingKey)}.${base64urlEncodeString(payloadJson)}`;
      const signature = await signingKey.sign(signingInput);
      return `${signingInput}.${base64urlEncode(signature)}~${disclosures.length > 0 ? `${disclosures.join('~')}~` : ''}`;
    },
  };
}

function compileLevel(object: Record<string, unknown>, frame: DisclosureFrame, decoys: { min: number; max: number }): LevelPlan {
  if (typeof object !== 'object' || object === null || Array.isArray(object)) {
    throw new UrbisError('INVALID_ARGUMENT', 'templates compile frames over objects only');
  }
  const selected = new Set((frame._sd ?? []).map(String));
  for (const key of [...selected, ...Object.keys(frame).filter((k) => k !== '_sd' && k !== '_sd_decoy')]) {
    if (!Object.prototype.hasOwnProperty.call(object, key)) {
      throw new UrbisError('INVALID_ARGUMENT', 'the disclosure frame names a claim that is not there');
    }
  }
  const fixed = frame._sd_decoy;
  if (fixed !== undefined && (!Number.isInteger(fixed) || fixed < 0 || fixed > MAX_DECOYS_PER_LEVEL)) {
    throw new UrbisError('INVALID_ARGUMENT', `_sd_decoy must be an integer from 0 to ${MAX_DECOYS_PER_LEVEL}`);
  }
  const plan: LevelPlan = {
    plainMembers: [],
    leaves: [],
    disclosableObjects: [],
    clearObjects: [],
    decoys: fixed !== undefined ? { min: fixed, max: fixed } : decoys,
    fixedDecoys: fixed !== undefined,
    saltCount: 0,
  };
  for (const key of Object.keys(object)) {
    if (key === '_sd' || key === '...' || key === '_sd_alg') {
      throw new UrbisError('CLAIM_NAME_FORBIDDEN', 'a claim may not be named "_sd", "..." or "_sd_alg"');
    }
    const value = object[key];
    const childFrame = frame[key];
    const nameJson = JSON.stringify(key);
    const hasFrame = typeof childFrame === 'object' && childFrame !== null && !Array.isArray(childFrame);
    if (hasFrame) {
      const child = compileLevel(value as Record<string, unknown>, childFrame as DisclosureFrame, decoys);
      (selected.has(key) ? plan.disclosableObjects : plan.clearObjects).push({ nameJson, plan: child });
    } else if (selected.has(key)) {
      const valueJson = JSON.stringify(value) as string | undefined;
      if (valueJson === undefined) throw new UrbisError('INVALID_ARGUMENT', 'a disclosable claim has no JSON value');
      plan.leaves.push(base64urlEncodeString(`,${nameJson},${valueJson}]`));
    } else {
      const valueJson = JSON.stringify(value) as string | undefined;
      if (valueJson !== undefined) plan.plainMembers.push(`${nameJson}:${valueJson}`); // as JSON.stringify drops undefined
    }
  }
  plan.saltCount = plan.leaves.length + plan.disclosableObjects.length;
  return plan;
}

function countSalts(plan: LevelPlan): number {
  let n = plan.saltCount;
  for (const { plan: child } of plan.disclosableObjects) n += countSalts(child);
  for (const { plan: child } of plan.clearObjects) n += countSalts(child);
  return n;
}
