import { credentialTypeByVct, credentialTypeFromVcType } from '../../core/credentials/credential-types.js';
import type { Hasher } from '../../core/crypto/ports.js';
import { UrbisError } from '../../core/errors/urbis-error.js';
import { decodeCompactJws } from '../../core/jose/compact-jws.js';
import { decodeSdJwt } from '../../core/sd-jwt/decode-sd-jwt.js';
import { webHasher } from '../presentation/consent.js';
import type { StoredCredentialFormat } from '../store/wallet-document.js';

/** Where a copy's status is published: a status list and the copy's index in it. */
export interface StatusReference {
  /** The status list URL (`status.status_list.uri` / `credentialStatus.statusListCredential`). */
  uri: string;
  index: number;
}

/** What the wallet reads from a copy it holds (all disclosures are the wallet's own). */
export interface CopyDescription {
  credentialType: string;
  issuerId: string;
  serviceId?: string;
  status?: StatusReference;
  /** `exp`, seconds since the epoch. */
  expiresAt?: number;
}

/**
 * Reads a copy the wallet holds: its Urbis type, issuer, service, status
 * entry and expiry, from the claims with every disclosure applied
 * (`dc+sd-jwt`: top-level claims and `vct`; `vc+sd-jwt`: VCDM 2.0 `type`,
 * `issuer`, `credentialSubject`, `credentialStatus`; `jwt_vc_json`: the
 * `vc` claim). Does not verify the issuer's signature.
 *
 * @throws UrbisError `CREDENTIAL_TYPE_UNKNOWN` (not an Urbis type),
 *   `CLAIM_MISSING` (no issuer), and the decoding errors of a damaged copy.
 *
 * @example
 * ```ts
 * const { credentialType, serviceId } = await describeCopy({ credential, format: 'dc+sd-jwt' });
 * ```
 */
export async function describeCopy({ credential, format, hash = webHasher }: { credential: string; format: StoredCredentialFormat; hash?: Hasher }): Promise<CopyDescription> {
  if (format === 'jwt_vc_json') {
    const { payload } = decodeCompactJws(credential);
    const vc = record(payload.vc);
    const subject = record(vc.credentialSubject);
    return build({
      credentialType: credentialTypeFromVcType(vc.type as string[]).name,
      issuer: payload.iss ?? vc.issuer,
      serviceId: subject.service_id,
      statusEntry: vc.credentialStatus,
      exp: payload.exp,
    });
  }
  const decoded = await decodeSdJwt({ compact: credential, hash });
  const claims = record(decoded.processed.claims);
  if (format === 'dc+sd-jwt') {
    const statusList = record(record(claims.status).status_list);
    return build({
      credentialType: credentialTypeByVct(claims.vct as string).name,
      issuer: claims.iss,
      serviceId: claims.service_id,
      status: { uri: statusList.uri, index: statusList.idx },
      exp: claims.exp,
    });
  }
  return build({
    credentialType: credentialTypeFromVcType(claims.type as string[]).name,
    issuer: claims.issuer,
    serviceId: record(claims.credentialSubject).service_id,
    statusEntry: claims.credentialStatus,
    exp: claims.exp,
  });
}

function build({
  credentialType,
  issuer,
  serviceId,
  status,
  statusEntry,
  exp,
}: {
  credentialType: string;
  issuer: unknown;
  serviceId: unknown;
  status?: { uri: unknown; index: unknown };
  statusEntry?: unknown;
  exp: unknown;
}): CopyDescription {
  const issuerId = typeof issuer === 'string' ? issuer : record(issuer).id;
  if (typeof issuerId !== 'string' || issuerId === '') throw new UrbisError('CLAIM_MISSING', 'the copy names no issuer');
  const out: CopyDescription = { credentialType, issuerId };
  if (typeof serviceId === 'string' && serviceId !== '') out.serviceId = serviceId;
  const reference = status ?? bitstringReference(statusEntry);
  if (reference !== undefined && typeof reference.uri === 'string' && Number.isSafeInteger(reference.index) && (reference.index as number) >= 0) {
    out.status = { uri: reference.uri, index: reference.index as number };
  }
  if (typeof exp === 'number' && Number.isSafeInteger(exp)) out.expiresAt = exp;
  return out;
}

/** A W3C Bitstring Status List entry (one object, or the first of an array). */
function bitstringReference(entry: unknown): { uri: unknown; index: unknown } | undefined {
  const first = Array.isArray(entry) ? entry[0] : entry;
  if (typeof first !== 'object' || first === null) return undefined;
  const { statusListCredential, statusListIndex } = first as Record<string, unknown>;
  const index = typeof statusListIndex === 'string' && /^\d{1,15}$/.test(statusListIndex) ? Number(statusListIndex) : statusListIndex;
  return { uri: statusListCredential, index };
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}
