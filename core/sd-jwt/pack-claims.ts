import { digestBase64url } from '../crypto/digest-base64url.js';
import type { Base64urlHasher, HashAlgorithm, Hasher, RandomBytes } from '../crypto/ports.js';
import { base64urlEncode } from '../encoding/base64url.js';
import { UrbisError } from '../errors/urbis-error.js';
import { createDisclosure, type Disclosure } from './disclosure.js';

/**
 * Which claims to make selectively disclosable, in the shape sd-jwt-js uses:
 * `_sd` lists the names (or array indices) disclosable at this level,
 * `_sd_decoy` adds decoy digests at this level, and a nested frame under a
 * claim name applies to that claim's value (recursive disclosure).
 *
 * @example
 * ```ts
 * const frame: DisclosureFrame = { _sd: ['given_name', 'address'], _sd_decoy: 2, address: { _sd: ['locality'] } };
 * ```
 */
export interface DisclosureFrame {
  _sd?: ReadonlyArray<string | number>;
  _sd_decoy?: number;
  [claim: string]: DisclosureFrame | ReadonlyArray<string | number> | number | undefined;
}

/** Salt length in bytes: 128 bits, as RFC 9901 §9.3 recommends. */
export const SALT_BYTES = 16;

/** Most decoys Urbis adds at one level (bounds the work and the size). */
export const MAX_DECOYS_PER_LEVEL = 16;

export interface PackedClaims {
  packed: Record<string, unknown>;
  disclosures: Disclosure[];
}

/**
 * Replaces the claims a frame marks as disclosable by digests (RFC 9901
 * §4.2.4), creating one Disclosure each with a fresh 128-bit salt. Digests at
 * each level are sorted, so their order says nothing about the claims'
 * order; decoys are digests of random values, indistinguishable from real
 * ones (§4.2.5).
 *
 * @throws UrbisError `INVALID_ARGUMENT` when the frame names a claim the
 *   claims do not have, or asks for a negative or excessive decoy count;
 *   `CLAIM_NAME_FORBIDDEN` for a claim named `_sd` or `...`.
 */
export async function packClaims({
  claims,
  frame,
  hash,
  hashBase64url,
  alg,
  randomBytes,
}: {
  claims: Record<string, unknown>;
  frame: DisclosureFrame;
  hash: Hasher;
  hashBase64url?: Base64urlHasher | undefined;
  alg: HashAlgorithm;
  randomBytes: RandomBytes;
}): Promise<PackedClaims> {
  const disclosures: Disclosure[] = [];
  const newSalt = (): string => base64urlEncode(randomBytes(SALT_BYTES));
  const digestOf = async (encoded: string): Promise<string> => digestBase64url({ hash, hashBase64url }, encoded, alg);
  const decoys = async (count: number): Promise<string[]> => {
    const out: string[] = [];
    for (let i = 0; i < count; i++) out.push(await digestOf(base64urlEncode(randomBytes(SALT_BYTES))));
    return out;
  };
  const decoyCount = (f: DisclosureFrame): number => {
    const n = f._sd_decoy ?? 0;
    if (!Number.isInteger(n) || n < 0 || n > MAX_DECOYS_PER_LEVEL) {
      throw new UrbisError('INVALID_ARGUMENT', `_sd_decoy must be an integer from 0 to ${MAX_DECOYS_PER_LEVEL}`);
    }
    return n;
  };
  const childFrame = (f: DisclosureFrame, key: string): DisclosureFrame | undefined => {
    if (key === '_sd' || key === '_sd_decoy') return undefined;
    const child = f[key];
    return typeof child === 'object' && child !== null && !Array.isArray(child) ? (child as DisclosureFrame) : undefined;
  };

  const packValue = async (value: unknown, f: DisclosureFrame | undefined): Promise<unknown> => {
    if (f === undefined) return value;
    if (Array.isArray(value)) return packArray(value, f);
    if (typeof value === 'object' && value !== null) return packObject(value as Record<string, unknown>, f);
    throw new UrbisError('INVALID_ARGUMENT', 'a disclosure frame is given for a claim that is neither object nor array');
  };

  const packObject = async (object: Record<string, unknown>, f: DisclosureFrame): Promise<Record<string, unknown>> => {
    const selected = new Set<string>();
    for (const name of f._sd ?? []) selected.add(String(name));
    for (const name of selected) {
      if (!Object.prototype.hasOwnProperty.call(object, name)) {
        throw new UrbisError('INVALID_ARGUMENT', 'the disclosure frame names a claim that is not there');
      }
    }
    for (const key in f) {
      if (key !== '_sd' && key !== '_sd_decoy' && !Object.prototype.hasOwnProperty.call(object, key)) {
        throw new UrbisError('INVALID_ARGUMENT', 'the disclosure frame names a claim that is not there');
      }
    }
    const out: Record<string, unknown> = {};
    const digests: string[] = [];
    for (const key of Object.keys(object)) {
      if (key === '_sd' || key === '...') {
        throw new UrbisError('CLAIM_NAME_FORBIDDEN', 'a claim may not be named "_sd" or "..."');
      }
      const value = await packValue(object[key], childFrame(f, key));
      if (selected.has(key)) {
        const disclosure = createDisclosure({ salt: newSalt(), name: key, value });
        disclosures.push(disclosure);
        digests.push(await digestOf(disclosure.encoded));
      } else {
        if (key === '__proto__') Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
        else out[key] = value;
      }
    }
    const decoyTotal = decoyCount(f);
    if (decoyTotal > 0) for (const decoy of await decoys(decoyTotal)) digests.push(decoy);
    if (digests.length > 0) out._sd = digests.sort();
    return out;
  };

  const packArray = async (array: unknown[], f: DisclosureFrame): Promise<unknown[]> => {
    const selected = new Set((f._sd ?? []).map(Number));
    for (const index of selected) {
      if (!Number.isInteger(index) || index < 0 || index >= array.length) {
        throw new UrbisError('INVALID_ARGUMENT', 'the disclosure frame names an array index that is not there');
      }
    }
    const out: unknown[] = [];
    for (let i = 0; i < array.length; i++) {
      const value = await packValue(array[i], childFrame(f, String(i)));
      if (selected.has(i)) {
        const disclosure = createDisclosure({ salt: newSalt(), value });
        disclosures.push(disclosure);
        out.push({ '...': await digestOf(disclosure.encoded) });
      } else {
        out.push(value);
      }
    }
    for (const digest of await decoys(decoyCount(f))) {
      // decoy array elements go to random positions
      const position = randomBytes(1)[0]! % (out.length + 1);
      out.splice(position, 0, { '...': digest });
    }
    return out;
  };

  const packed = await packObject(claims, frame);
  return { packed, disclosures };
}
