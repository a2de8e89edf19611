import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { PublicJwk } from '../../core/crypto/ports.js';
import type { NodeCryptoSuite } from '../../core/crypto/node-crypto.js';
import { createDidJwk } from '../../core/did/did-jwk.js';
import { UrbisError } from '../../core/errors/urbis-error.js';
import { issueCredentialBatch } from '../../core/issuance/issue-credential.js';
import type { JwtVcIssuer } from '../../core/jwt-vc/jwt-vc-port.js';
import { buildBitstringStatusListEntry, URBIS_STATUS_MESSAGES } from '../../core/status/bitstring-status-list.js';
import type { AuditLog } from '../audit/audit-log.js';
import type { CatalogueRepository } from '../catalogue/catalogue-repository.js';
import type { AccessTokenGrant, IssuerDatabase } from '../db/database-schema.js';
import { isUniqueViolation } from '../db/unique-violation.js';
import type { Citizen, CitizenRepository } from '../enrolment/citizen-repository.js';
import { dayOf } from '../enrolment/enrolment-service.js';
import type { IssuerKeyStore } from '../keys/issuer-key-store.js';
import { createCNonce } from '../oid4vci/c-nonce.js';
import { parseCredentialConfigurationId, type ParsedCredentialConfigurationId } from '../oid4vci/credential-configurations.js';
import { parseCredentialRequest } from '../oid4vci/credential-request.js';
import { parseDeferredCredentialRequest } from '../oid4vci/deferred-credential-request.js';
import { verifyProofJwts } from '../oid4vci/proof-jwt.js';
import { hashSecret, newSecretToken } from '../security/secret-token.js';
import type { StatusLists } from '../status/status-lists.js';
import { entitlementClaims, residentClaims, residentValidUntil } from './credential-claims.js';
import type { OfferService } from './offer-service.js';

/** Attempts at allocating status indices before giving up (each collision is a 2^-17-ish event per copy). */
const MAX_ALLOCATION_ATTEMPTS = 3;

/** What the credential and deferred credential endpoints answer. */
export type CredentialEndpointResult =
  | { status: 200; credentials: string[]; batchId: string }
  | { status: 202; transactionId: string; interval: number };

/** Settings of issuance. */
export interface IssuanceSettings {
  /** Credential Issuer Identifier (the proofs' `aud`). */
  issuerUrl: string;
  /** The issuer's DID (`iss` of the SD-JWT credentials). */
  did: string;
  municipality: string;
  /** Most copies per request (default 10). */
  batchSize: number;
  /** Validity of new credentials, days. */
  validityDays: number;
  /** 32+ byte secret of per-service pseudonyms, from configuration. */
  pseudonymSecret: Uint8Array;
  /** Seconds a wallet should wait between deferred polls. */
  deferredIntervalSeconds: number;
  /** Lifetime of a c_nonce, ms. */
  nonceTtlMs: number;
  /** Validity of printed paper passes, days (issue #8: short, since paper can be copied). Default 90. */
  paperValidityDays?: number;
}

/** Default validity of a printed paper pass, days. */
export const DEFAULT_PAPER_VALIDITY_DAYS = 90;

/** One printed paper pass, as issued (issue #8). */
export interface IssuedPaperPass {
  serviceId: string;
  /** The `PaperServicePass` (dc+sd-jwt, bearer: no holder key, no key binding). */
  credential: string;
  batchId: string;
  /** Epoch seconds. */
  validUntil: number;
}

/**
 * The OID4VCI credential side: c_nonces (single use, hashed in the
 * database), the Credential Endpoint issuing a batch of one-time copies (one
 * per key proof: fresh salts and decoys, its own holder key, its own random
 * status index, `iat` rounded to the day) and the Deferred Credential
 * Endpoint while the application awaits a clerk. Holder keys of a deferred
 * request are kept only until the copies are issued.
 *
 * Whatever grant the access token came from (a pre-authorized code or a
 * refresh, possibly months later), each request issues only what the
 * citizen is entitled to *now*: processing not restricted
 * (`PROCESSING_RESTRICTED`), the service still among their choices
 * (`STATE_CONFLICT`), their latest application validated (deferred while a
 * clerk looks at it, e.g. after a rectification; `STATE_CONFLICT` once
 * rejected), claims read from the current record. Each batch is audited as
 * `credential.issued` with the grant it came through.
 */
export function createCredentialIssuance({
  db,
  citizens,
  catalogue,
  offers,
  statusLists,
  keys,
  audit,
  settings,
  crypto,
  jwtVc,
  now = Date.now,
}: {
  db: Kysely<IssuerDatabase>;
  citizens: CitizenRepository;
  catalogue: CatalogueRepository;
  offers: OfferService;
  statusLists: StatusLists;
  keys: IssuerKeyStore;
  audit: AuditLog;
  settings: IssuanceSettings;
  crypto: NodeCryptoSuite;
  /** JWT VC issuer (Veramo) for `jwt_vc_json`, and the DID it signs as. Without it, `jwt_vc_json` requests fail. */
  jwtVc?: () => Promise<{ issue: JwtVcIssuer; issuerDid: string }>;
  now?: () => number;
}) {
  async function issueBatch({
    citizenId,
    configurationId,
    parsed,
    holderKeys,
    grant,
    citizen: known,
    requester,
  }: {
    citizenId: string;
    configurationId: string;
    parsed: ParsedCredentialConfigurationId;
    /** One per copy; `undefined` for the copy of a bearer credential (a paper pass). */
    holderKeys: readonly (PublicJwk | undefined)[];
    /** The grant of the access token (audited), or `paper` for a printed pass. */
    grant: AccessTokenGrant | 'paper';
    /** The citizen, when the caller just read them. */
    citizen?: Citizen;
    /** Who asked, when not the citizen through their wallet (a clerk printing at the counter). */
    requester?: { kind: 'citizen' | 'staff'; id: string };
  }): Promise<{ credentials: string[]; batchId: string; validUntil: number }> {
    const citizen = known ?? (await citizens.citizen(citizenId));
    checkNotRestricted(citizen);
    const at = now();
    const today = dayOf(at);
    const validFrom = Math.floor(Date.parse(`${today}T00:00:00Z`) / 1000);
    let claims: Record<string, unknown>;
    let validUntil: number;
    if (parsed.credentialType === 'ResidentCredential') {
      claims = residentClaims({ citizen, municipality: settings.municipality, today }) as unknown as Record<string, unknown>;
      validUntil = residentValidUntil({ birthdate: citizen.birthdate, today, validityDays: settings.validityDays });
    } else {
      const choice = (await citizens.choices(citizenId)).find((c) => c.service_id === parsed.serviceId);
      if (choice === undefined) throw new UrbisError('STATE_CONFLICT', 'this service is not among the citizen\'s chosen services');
      claims = (await entitlementClaims({ citizenId, serviceId: choice.service_id, tier: choice.tier, municipality: settings.municipality, pseudonymSecret: settings.pseudonymSecret })) as unknown as Record<string, unknown>;
      const days = parsed.credentialType === 'PaperServicePass' ? (settings.paperValidityDays ?? DEFAULT_PAPER_VALIDITY_DAYS) : settings.validityDays;
      validUntil = validFrom + days * 86_400;
    }
    const signingKey = await keys.activeSigningKey();
    const jwtVcIssuer = parsed.format === 'jwt_vc_json' ? await jwtVc?.() : undefined;
    // Two issuer processes sharing a PostgreSQL database may draw the same status index: the primary key of
    // issued_copies refuses the second, which is retried with fresh draws (after reloading the list's indices).
    for (let attempt = 1; ; attempt++) {
      const batchId = randomUUID();
      try {
        const { credentials, listId } = await issueInTransaction(batchId);
        await statusLists.countAllocated({ listId, count: holderKeys.length });
        return { credentials, batchId, validUntil };
      } catch (error) {
        if (!isUniqueViolation(error) || attempt >= MAX_ALLOCATION_ATTEMPTS) throw error;
        statusLists.forget();
      }
    }

    async function issueInTransaction(batchId: string): Promise<{ credentials: string[]; listId: number }> {
      return db.transaction().execute(async (tx) => {
        await tx
          .insertInto('issued_batches')
          .values({ id: batchId, citizen_id: citizenId, configuration_id: configurationId, credential_type: parsed.credentialType, service_id: parsed.serviceId ?? null, format: parsed.format, state: 'active', issued_at: at, valid_until: validUntil * 1000 })
          .execute();
        const entries = await statusLists.allocate(tx, { batchId, count: holderKeys.length });
        const uri = entries.uri!;
        let out: string[];
        if (parsed.format === 'jwt_vc_json') {
          if (jwtVcIssuer === undefined) throw new UrbisError('CREDENTIAL_CONFIGURATION_UNKNOWN', 'this issuer does not issue jwt_vc_json');
          const { issue, issuerDid } = jwtVcIssuer;
          out = [];
          for (let i = 0; i < holderKeys.length; i++) {
            out.push(
              await issue({
                type: ['VerifiableCredential', parsed.credentialType],
                claims,
                subjectId: createDidJwk(holderKeys[i] ?? fail('a jwt_vc_json credential needs a holder key')),
                issuerDid,
                validFrom: new Date(validFrom * 1000),
                validUntil: new Date(validUntil * 1000),
                credentialStatus: buildBitstringStatusListEntry({ statusListCredential: uri, statusListIndex: entries[i]!.index, statusMessage: URBIS_STATUS_MESSAGES }) as never,
                vcdmVersion: '2.0',
              }),
            );
          }
        } else {
          out = await issueCredentialBatch({
            format: parsed.format,
            type: parsed.credentialType,
            claims: claims as never,
            issuer: { id: settings.did, signingKey },
            statusListUri: uri,
            validFrom,
            validUntil,
            issuedAt: Math.floor(at / 1000),
            crypto: { hash: crypto.hash, hashBase64url: crypto.hashBase64url, randomBytes: crypto.randomBytes },
            copies: holderKeys.map((holderPublicJwk, i) => (holderPublicJwk === undefined ? { statusIndex: entries[i]!.index } : { holderPublicJwk, statusIndex: entries[i]!.index })),
          });
        }
        await audit.record({ actor: requester ?? { kind: 'citizen', id: citizenId }, action: 'credential.issued', target: { kind: 'batch', id: batchId }, detail: { configurationId, copies: holderKeys.length, grant } }, tx);
        return { credentials: out, listId: entries[0]!.listId };
      });
    }
  }

  /**
   * What the citizen is entitled to now, checked before any proof is
   * spent or any request deferred: processing not restricted; for an
   * entitlement, the service still among their choices (a refresh token
   * outlives a dropped service, its configuration does not).
   */
  async function checkEntitled({ citizen, parsed }: { citizen: Citizen; parsed: ParsedCredentialConfigurationId }): Promise<void> {
    checkNotRestricted(citizen);
    if (parsed.credentialType === 'ServiceEntitlementCredential' && !(await citizens.choices(citizen.id)).some((c) => c.service_id === parsed.serviceId)) {
      throw new UrbisError('STATE_CONFLICT', 'this service is not among the citizen\'s chosen services');
    }
  }

  async function readiness(citizenId: string): Promise<'ready' | 'pending'> {
    const application = await citizens.latestApplication(citizenId);
    if (application === undefined || application.state === 'validated') return 'ready';
    if (application.state === 'submitted') return 'pending';
    throw new UrbisError('STATE_CONFLICT', 'the application was rejected: no credential can be issued');
  }

  const service = {
    /** Nonce Endpoint: a fresh single-use c_nonce. */
    async nonce(): Promise<string> {
      const value = createCNonce({ randomBytes: crypto.randomBytes });
      const at = now();
      await db.insertInto('nonces').values({ nonce_hash: hashSecret(value), expires_at: at + settings.nonceTtlMs }).execute();
      if (Math.random() < 0.01) await db.deleteFrom('nonces').where('expires_at', '<=', at).execute();
      return value;
    },

    /** Consumes a c_nonce: true once, for a live nonce. */
    async consumeNonce(value: string): Promise<boolean> {
      const result = await db.deleteFrom('nonces').where('nonce_hash', '=', hashSecret(value)).where('expires_at', '>', now()).executeTakeFirst();
      return Number(result.numDeletedRows) === 1;
    },

    /**
     * Credential Endpoint.
     * @throws UrbisError `ACCESS_TOKEN_INVALID`, `CREDENTIAL_REQUEST_INVALID`,
     *   `BATCH_SIZE_INVALID`, `CREDENTIAL_CONFIGURATION_UNKNOWN`, `PROOF_*`,
     *   `PROCESSING_RESTRICTED`, `STATE_CONFLICT`, `STATUS_INDICES_EXHAUSTED`.
     */
    async credential({ accessToken, body }: { accessToken: string | undefined; body: unknown }): Promise<CredentialEndpointResult> {
      const token = await offers.authorize(accessToken);
      const request = parseCredentialRequest(body, { maxBatch: settings.batchSize });
      if (!token.configurationIds.includes(request.credentialConfigurationId)) {
        throw new UrbisError('CREDENTIAL_CONFIGURATION_UNKNOWN', 'the access token does not cover this credential configuration');
      }
      const parsed = parseCredentialConfigurationId(request.credentialConfigurationId, { services: await catalogue.list() });
      const citizen = await citizens.citizen(token.citizenId);
      await checkEntitled({ citizen, parsed });
      const holderKeys = await verifyProofJwts({ proofs: request.proofJwts, audience: settings.issuerUrl, crypto, now: Math.floor(now() / 1000), consumeNonce: service.consumeNonce });
      if ((await readiness(token.citizenId)) === 'pending') {
        const transactionId = newSecretToken();
        await db
          .insertInto('deferred_issuances')
          .values({ transaction_id_hash: hashSecret(transactionId), citizen_id: token.citizenId, access_token_hash: token.tokenHash, configuration_id: request.credentialConfigurationId, holder_keys: JSON.stringify(holderKeys), state: 'pending', created_at: now() })
          .execute();
        return { status: 202, transactionId, interval: settings.deferredIntervalSeconds };
      }
      return { status: 200, ...(await issueBatch({ citizenId: token.citizenId, configurationId: request.credentialConfigurationId, parsed, holderKeys, grant: token.grantType, citizen })) };
    },

    /**
     * Deferred Credential Endpoint: the copies once the clerk validated, 202 again while pending.
     * @throws UrbisError `ACCESS_TOKEN_INVALID`, `TRANSACTION_ID_INVALID`, `STATE_CONFLICT` (rejected), `PROCESSING_RESTRICTED`.
     */
    async deferred({ accessToken, body }: { accessToken: string | undefined; body: unknown }): Promise<CredentialEndpointResult> {
      const token = await offers.authorize(accessToken);
      const { transactionId } = parseDeferredCredentialRequest(body) as { transactionId: string };
      const hash = hashSecret(transactionId);
      const row = await db.selectFrom('deferred_issuances').selectAll().where('transaction_id_hash', '=', hash).executeTakeFirst();
      if (row === undefined || row.state !== 'pending' || row.access_token_hash !== token.tokenHash) throw new UrbisError('TRANSACTION_ID_INVALID', 'unknown or finished transaction');
      if ((await readiness(row.citizen_id)) === 'pending') return { status: 202, transactionId, interval: settings.deferredIntervalSeconds };
      const claimed = await db.updateTable('deferred_issuances').set({ state: 'issued', holder_keys: '[]' }).where('transaction_id_hash', '=', hash).where('state', '=', 'pending').executeTakeFirst();
      if (Number(claimed.numUpdatedRows) !== 1) throw new UrbisError('TRANSACTION_ID_INVALID', 'unknown or finished transaction');
      const parsed = parseCredentialConfigurationId(row.configuration_id, { services: await catalogue.list() });
      try {
        return { status: 200, ...(await issueBatch({ citizenId: row.citizen_id, configurationId: row.configuration_id, parsed, holderKeys: JSON.parse(row.holder_keys) as PublicJwk[], grant: token.grantType })) };
      } catch (error) {
        await db.updateTable('deferred_issuances').set({ state: 'pending', holder_keys: row.holder_keys }).where('transaction_id_hash', '=', hash).execute();
        throw error;
      }
    },

    /**
     * Printed paper passes (issue #8): one bearer `PaperServicePass` per
     * service the citizen chose, each its own batch of one copy with its own
     * status entry, valid {@link DEFAULT_PAPER_VALIDITY_DAYS} days (or
     * `paperValidityDays`). Same entitlement rules as the wallet's copies:
     * processing not restricted, the latest application validated (or none,
     * for card holders imported from the old card system), claims
     * read from the current record. Audited as `credential.issued` with
     * grant `paper` and the requester (the citizen printing at home, or the
     * clerk at the counter). Replacing an earlier card is the caller's
     * step (see the paper card service).
     * @throws UrbisError `PROCESSING_RESTRICTED`; `STATE_CONFLICT` (application
     *   not validated, or no service chosen); `STATUS_INDICES_EXHAUSTED`.
     */
    async paperPasses({ citizenId, requester }: { citizenId: string; requester: { kind: 'citizen' | 'staff'; id: string } }): Promise<IssuedPaperPass[]> {
      const citizen = await citizens.citizen(citizenId);
      checkNotRestricted(citizen);
      // Card holders imported from the old card system have no application: they are ready.
      if ((await readiness(citizenId)) !== 'ready') throw new UrbisError('STATE_CONFLICT', 'a paper card is printed once the application is validated');
      const choices = await citizens.choices(citizenId);
      if (choices.length === 0) throw new UrbisError('STATE_CONFLICT', 'no service is chosen: a paper card carries the chosen services');
      const passes: IssuedPaperPass[] = [];
      for (const choice of choices) {
        const parsed: ParsedCredentialConfigurationId = { credentialType: 'PaperServicePass', format: 'dc+sd-jwt', serviceId: choice.service_id };
        const { credentials, batchId, validUntil } = await issueBatch({ citizenId, configurationId: `paper:${choice.service_id}`, parsed, holderKeys: [undefined], grant: 'paper', citizen, requester });
        passes.push({ serviceId: choice.service_id, credential: credentials[0]!, batchId, validUntil });
      }
      return passes;
    },

    /** Withdraws a citizen's pending deferred requests (rejection, erasure). */
    async withdrawDeferred(citizenId: string): Promise<void> {
      await db.updateTable('deferred_issuances').set({ state: 'withdrawn', holder_keys: '[]' }).where('citizen_id', '=', citizenId).where('state', '=', 'pending').execute();
    },
  };
  return service;
}

function fail(message: string): never {
  throw new UrbisError('CREDENTIAL_REQUEST_INVALID', message);
}

function checkNotRestricted(citizen: Citizen): void {
  if (citizen.restricted) throw new UrbisError('PROCESSING_RESTRICTED', 'processing of this record is restricted at the citizen\'s request');
}

/** The credential issuance service. */
export type CredentialIssuance = ReturnType<typeof createCredentialIssuance>;
