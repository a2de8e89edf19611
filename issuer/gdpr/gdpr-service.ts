import { randomUUID } from 'node:crypto';
import { UrbisError } from '../../core/errors/urbis-error.js';
import type { AuditEntry, AuditLog } from '../audit/audit-log.js';
import type { Sessions } from '../auth/sessions.js';
import type { DocumentVault } from '../documents/document-vault.js';
import { newApplicationReference } from '../enrolment/application-reference.js';
import type { Citizen, CitizenRepository } from '../enrolment/citizen-repository.js';
import { checkConsents, checkIdentityInput, type IdentityInput } from '../enrolment/enrolment-input.js';
import { dayOf, checkChoicesAgainstCatalogue } from '../enrolment/enrolment-service.js';
import type { EntitlementEventsPort } from '../enrolment/entitlement-events.js';
import type { CatalogueRepository } from '../catalogue/catalogue-repository.js';
import type { CredentialIssuance } from '../issuance/credential-issuance.js';
import { servicePseudonym } from '../issuance/credential-claims.js';
import type { IssuedOffer, OfferService } from '../issuance/offer-service.js';
import type { RefreshTokens } from '../issuance/refresh-tokens.js';
import { sendTxCode } from '../issuance/citizen-offer.js';
import type { Notifier } from '../auth/notifier.js';
import type { CredentialStatus } from '../status/credential-status.js';

/** Purposes a citizen may object to (GDPR art. 21). Objecting stops that processing for them. */
export const OBJECTABLE_PURPOSES = ['notifications', 'statistics', 'department_webhooks'] as const;

/** One of {@link OBJECTABLE_PURPOSES}. */
export type ObjectablePurpose = (typeof OBJECTABLE_PURPOSES)[number];

/** Identity fields whose change needs a clerk to look at proof again (a new application). */
const IDENTITY_FIELDS = ['given_name', 'family_name', 'birthdate'] as const;

/** Fields the resident credential carries: changing any re-issues it. */
const RESIDENT_FIELDS = ['given_name', 'family_name', 'birthdate', 'address', 'resident_since'] as const;

/**
 * What erasure keeps, and why (documented for the data protection officer):
 * - the status entries of every credential ever issued, set to revoked, in
 *   `issued_batches` / `issued_copies` with no link to a person: a revoked
 *   credential must stay revoked for as long as a copy could be shown;
 * - the audit log (who did what to which random id, when), which the city
 *   must keep as a record of processing (GDPR art. 30) and which holds no
 *   personal data;
 * - an erasure record: date, the application references (to answer "was my
 *   erasure done?"), counts of batches revoked and documents deleted.
 * Everything else — identity, address, contact, choices, consents,
 * documents and their files, offers, access and refresh tokens, sessions,
 * one-time codes — is deleted.
 */
export const ERASURE_RETENTION_NOTE =
  'Kept after erasure: revoked status entries of issued credentials (no link to a person), the audit log (ids and actions only), and an erasure record (date, application references, counts).';

/** The export format of the right of access (art. 15). */
export interface AccessExport {
  format: 'urbis-subject-access/1';
  exportedAt: string;
  controller: { city: string; issuer: string };
  citizen: Citizen;
  applications: Awaited<ReturnType<CitizenRepository['applications']>>;
  services: (Awaited<ReturnType<CitizenRepository['choices']>>[number] & { pseudonym: string })[];
  consents: Awaited<ReturnType<CitizenRepository['consents']>>;
  documents: { id: string; kind: string; mime: string; size: number; sha256: string; uploadedAt: number; contentBase64: string }[];
  credentials: Awaited<ReturnType<CredentialStatus['batchesOf']>>;
  processingRecords: AuditEntry[];
  retention: string;
}

/** The export format of the right to data portability (art. 20): what the citizen provided, in the enrolment body's shape, so another city's issuer can take it as is. */
export interface PortableExport {
  format: 'urbis-portable-citizen/1';
  exportedAt: string;
  enrolment: IdentityInput & { services: { service_id: string; tier: string }[]; consents: Record<string, boolean> };
  documents: { kind: string; mime: string; contentBase64: string }[];
}

/**
 * The data subject rights, end to end: access (everything held, as JSON,
 * documents included), portability (what the citizen gave, reusable),
 * rectification (re-issues the affected credentials and revokes the old
 * ones; identity changes go back to a clerk), erasure (refresh tokens
 * deleted), restriction (suspends credentials and revokes refresh tokens;
 * lifting it unsuspends the credentials, a wallet needs a new offer) and
 * objection.
 */
export function createGdprService({
  citizens,
  catalogue,
  vault,
  audit,
  credentialStatus,
  offers,
  issuance,
  refreshTokens,
  sessions,
  events,
  notifier,
  pseudonymSecret,
  city,
  offerConfigurations,
  referencePrefix,
  now = Date.now,
}: {
  citizens: CitizenRepository;
  catalogue: CatalogueRepository;
  vault: DocumentVault;
  audit: AuditLog;
  credentialStatus: CredentialStatus;
  offers: OfferService;
  issuance: CredentialIssuance;
  refreshTokens: RefreshTokens;
  sessions: Sessions;
  events: EntitlementEventsPort;
  /** Sends the tx_code of the offer a rectification makes. */
  notifier: Notifier;
  pseudonymSecret: Uint8Array;
  city: { name: string; issuerUrl: string };
  offerConfigurations: (choices: readonly { service_id: string; tier: string }[]) => string[];
  referencePrefix: string;
  now?: () => number;
}) {
  const self = (citizenId: string) => ({ kind: 'citizen' as const, id: citizenId });
  const db = citizens.db;

  async function documentsWithContent(citizenId: string) {
    const out = [];
    for (const d of await citizens.documents(citizenId)) {
      const { bytes } = await vault.get(d.storageKey);
      out.push({ ...d, contentBase64: Buffer.from(bytes).toString('base64') });
    }
    return out;
  }

  const service = {
    /** Art. 15: every record held about the citizen, documents included. */
    async access({ citizenId }: { citizenId: string }): Promise<AccessExport> {
      const citizen = await citizens.citizen(citizenId);
      const applications = await citizens.applications(citizenId);
      const choices = await citizens.choices(citizenId);
      // Processing records about the citizen: entries on the citizen, their applications, documents and credential batches.
      const targets = [
        citizenId,
        ...applications.map((a) => a.id),
        ...(await citizens.documents(citizenId)).map((d) => d.id),
        ...(await credentialStatus.batchesOf(citizenId)).map((b) => b.id),
      ];
      const records: AuditEntry[] = [];
      for (const targetId of targets) records.push(...(await audit.list({ targetId, limit: 1000 })));
      const documents = (await documentsWithContent(citizenId)).map(({ storageKey: _k, applicationId: _a, ...d }) => d);
      await audit.record({ actor: self(citizenId), action: 'gdpr.accessed', target: { kind: 'citizen', id: citizenId } });
      return {
        format: 'urbis-subject-access/1',
        exportedAt: new Date(now()).toISOString(),
        controller: { city: city.name, issuer: city.issuerUrl },
        citizen,
        applications,
        services: await Promise.all(choices.map(async (c) => ({ ...c, pseudonym: await servicePseudonym({ citizenId, serviceId: c.service_id, pseudonymSecret }) }))),
        consents: await citizens.consents(citizenId),
        documents,
        credentials: await credentialStatus.batchesOf(citizenId),
        processingRecords: records.sort((a, b) => a.id - b.id),
        retention: ERASURE_RETENTION_NOTE,
      };
    },

    /** Art. 20: what the citizen provided, in the enrolment body's shape. */
    async port({ citizenId }: { citizenId: string }): Promise<PortableExport> {
      const citizen = await citizens.citizen(citizenId);
      const { id: _id, cardNumber: _card, restricted: _r, objectedPurposes: _o, createdAt: _c, updatedAt: _u, ...identity } = citizen;
      await audit.record({ actor: self(citizenId), action: 'gdpr.ported', target: { kind: 'citizen', id: citizenId } });
      return {
        format: 'urbis-portable-citizen/1',
        exportedAt: new Date(now()).toISOString(),
        enrolment: { ...identity, services: (await citizens.choices(citizenId)).map((c) => ({ service_id: c.service_id, tier: c.tier })), consents: await citizens.currentConsents(citizenId) },
        documents: (await documentsWithContent(citizenId)).map((d) => ({ kind: d.kind, mime: d.mime, contentBase64: d.contentBase64 })),
      };
    },

    /**
     * Art. 16: corrects identity, address or contact data. When a field the
     * resident credential carries changes, its batches are revoked
     * (`credential-replaced`) and a new offer is made; services whose age
     * limits no longer fit are dropped and their entitlements revoked. A
     * change of name or birthdate opens a new application for a clerk
     * (deferred issuance until then).
     * @throws UrbisError `BODY_INVALID`, `PROCESSING_RESTRICTED`.
     */
    async rectify({ citizenId, changes }: { citizenId: string; changes: unknown }): Promise<{ changedFields: string[]; revokedBatches: number; needsValidation: boolean; offer?: IssuedOffer }> {
      if (typeof changes !== 'object' || changes === null || Array.isArray(changes)) throw new UrbisError('BODY_INVALID', 'changes is an object of fields');
      const allowed = ['given_name', 'family_name', 'birthdate', 'email', 'phone', 'address', 'resident_since'];
      for (const key of Object.keys(changes)) if (!allowed.includes(key)) throw new UrbisError('BODY_INVALID', `${key} cannot be rectified here`);
      const citizen = await citizens.citizen(citizenId);
      if (citizen.restricted) throw new UrbisError('PROCESSING_RESTRICTED', 'processing is restricted: lift the restriction first');
      const { id: _i, cardNumber: _c, restricted: _r, objectedPurposes: _o, createdAt: _ca, updatedAt: _ua, ...current } = citizen;
      const at = now();
      const merged = checkIdentityInput({ ...current, ...(changes as object) }, { today: dayOf(at) });
      const changedFields = allowed.filter((f) => JSON.stringify((current as Record<string, unknown>)[f]) !== JSON.stringify((merged as unknown as Record<string, unknown>)[f]));
      if (changedFields.length === 0) return { changedFields, revokedBatches: 0, needsValidation: false };
      const needsValidation = changedFields.some((f) => (IDENTITY_FIELDS as readonly string[]).includes(f));
      const choices = await citizens.choices(citizenId);
      const services = await catalogue.list();
      const stillEligible = choices.filter((c) => {
        try {
          checkChoicesAgainstCatalogue({ choices: [c], catalogue: services, birthdate: merged.birthdate, today: dayOf(at) });
          return true;
        } catch {
          return false;
        }
      });
      const dropped = choices.filter((c) => !stillEligible.includes(c)).map((c) => c.service_id);
      await db.transaction().execute(async (tx) => {
        await citizens.updateIdentity(tx, { id: citizenId, identity: merged, now: at });
        if (dropped.length > 0) await citizens.replaceChoices(tx, { citizenId, choices: stillEligible, now: at });
        if (needsValidation) await citizens.insertApplication(tx, { id: randomUUID(), reference: newApplicationReference(referencePrefix), citizenId, now: at });
        await audit.record({ actor: self(citizenId), action: 'gdpr.rectified', target: { kind: 'citizen', id: citizenId }, detail: { fields: changedFields } }, tx);
      });
      const residentChanged = changedFields.some((f) => (RESIDENT_FIELDS as readonly string[]).includes(f));
      const revoked = await credentialStatus.revokeWhere({
        citizenId,
        reason: 'credential-replaced',
        filter: (b) => (residentChanged && b.credentialType === 'ResidentCredential') || (b.serviceId !== undefined && dropped.includes(b.serviceId)),
      });
      for (const serviceId of dropped) await events.publish({ type: 'entitlement.revoked', citizenId, serviceId, state: 'revoked' });
      const reissue = residentChanged && revoked.some((b) => b.credentialType === 'ResidentCredential');
      const offer = reissue ? await offers.create({ citizenId, configurationIds: offerConfigurations(stillEligible), requester: self(citizenId) }) : undefined;
      // The new offer's tx_code goes to the (rectified) e-mail or phone, as for any offer shown on screen.
      if (offer !== undefined) await sendTxCode({ notifier, citizen: merged, txCode: offer.txCode });
      return { changedFields, revokedBatches: revoked.length, needsValidation, ...(offer === undefined ? {} : { offer }) };
    },

    /**
     * Art. 17: erases the citizen (see {@link ERASURE_RETENTION_NOTE}).
     * Credentials are revoked first, departments told, documents deleted,
     * then the records.
     */
    async erase({ citizenId, actor }: { citizenId: string; actor?: { kind: 'staff'; id: string } }): Promise<{ erasureId: string; revokedBatches: number; documentsDeleted: number }> {
      const applications = await citizens.applications(citizenId);
      const choices = await citizens.choices(citizenId);
      const revoked = await credentialStatus.revokeWhere({ citizenId, reason: 'holder-request' });
      for (const c of choices) await events.publish({ type: 'entitlement.revoked', citizenId, serviceId: c.service_id, state: 'revoked' });
      await offers.withdrawAll(citizenId);
      await refreshTokens.revokeAll({ citizenId });
      await issuance.withdrawDeferred(citizenId);
      const documents = await citizens.documents(citizenId);
      for (const d of documents) await vault.delete(d.storageKey);
      await sessions.revokeAll({ kind: 'citizen', subjectId: citizenId });
      const erasureId = randomUUID();
      await db.transaction().execute(async (tx) => {
        await tx.deleteFrom('deferred_issuances').where('citizen_id', '=', citizenId).execute();
        await refreshTokens.deleteAll({ citizenId }, tx);
        await tx.updateTable('issued_batches').set({ citizen_id: null }).where('citizen_id', '=', citizenId).execute();
        await citizens.deleteCitizen(tx, citizenId);
        await tx.insertInto('erasure_records').values({ id: erasureId, erased_at: now(), application_references: JSON.stringify(applications.map((a) => a.reference)), batches_revoked: revoked.length, documents_deleted: documents.length }).execute();
        await audit.record({ actor: actor ?? self(citizenId), action: 'gdpr.erased', target: { kind: 'citizen', id: citizenId }, detail: { batches: revoked.length } }, tx);
      });
      return { erasureId, revokedBatches: revoked.length, documentsDeleted: documents.length };
    },

    /** Art. 18: restricts processing (credentials suspended, no issuance, no decisions) or lifts it. */
    async restrict({ citizenId, restricted }: { citizenId: string; restricted: unknown }): Promise<{ restricted: boolean; batchesChanged: number }> {
      if (typeof restricted !== 'boolean') throw new UrbisError('BODY_INVALID', 'restricted is true or false');
      const citizen = await citizens.citizen(citizenId);
      if (citizen.restricted === restricted) return { restricted, batchesChanged: 0 };
      await citizens.setFlags(db, { id: citizenId, restricted, now: now() });
      // Refresh tokens first: from here on no refresh gives a new access token, and the Credential Endpoint refuses the rest.
      if (restricted) await refreshTokens.revokeAll({ citizenId });
      const changed = restricted ? await credentialStatus.suspendForRestriction({ citizenId }) : await credentialStatus.liftRestriction({ citizenId });
      if (restricted) await offers.withdrawAll(citizenId);
      for (const c of await citizens.choices(citizenId)) {
        await events.publish({ type: restricted ? 'entitlement.suspended' : 'entitlement.changed', citizenId, serviceId: c.service_id, tier: c.tier, state: restricted ? 'suspended' : 'active' });
      }
      await audit.record({ actor: self(citizenId), action: restricted ? 'gdpr.restricted' : 'gdpr.restriction_lifted', target: { kind: 'citizen', id: citizenId }, detail: { batches: changed } });
      return { restricted, batchesChanged: changed };
    },

    /** Art. 21: objects to (or withdraws an objection to) purposes; consents for the same purposes are withdrawn with it. */
    async object({ citizenId, purposes }: { citizenId: string; purposes: unknown }): Promise<{ objectedPurposes: string[] }> {
      if (!Array.isArray(purposes) || purposes.some((p) => !(OBJECTABLE_PURPOSES as readonly unknown[]).includes(p)) || new Set(purposes).size !== purposes.length) {
        throw new UrbisError('BODY_INVALID', `purposes is a list from ${OBJECTABLE_PURPOSES.join(', ')}`);
      }
      await citizens.citizen(citizenId);
      const at = now();
      await db.transaction().execute(async (tx) => {
        await citizens.setFlags(tx, { id: citizenId, objectedPurposes: purposes as string[], now: at });
        const consentPurposes = (purposes as string[]).filter((p) => p === 'notifications' || p === 'statistics');
        if (consentPurposes.length > 0) await citizens.recordConsents(tx, { citizenId, consents: Object.fromEntries(consentPurposes.map((p) => [p, false])), now: at });
        await audit.record({ actor: self(citizenId), action: 'gdpr.objected', target: { kind: 'citizen', id: citizenId }, detail: { purposes: purposes as string[] } }, tx);
      });
      return { objectedPurposes: purposes as string[] };
    },

    /** Gives or withdraws consents (art. 7(3)); the mandatory purpose cannot be withdrawn here (that is erasure). */
    async updateConsents({ citizenId, consents }: { citizenId: string; consents: unknown }): Promise<Record<string, boolean>> {
      const checked = checkConsents(consents, { requireMandatory: false });
      if (checked.service_provision === false) throw new UrbisError('CONSENT_MISSING', 'the city card needs service_provision: withdraw it by erasing the account');
      await citizens.citizen(citizenId);
      await citizens.recordConsents(db, { citizenId, consents: checked, now: now() });
      await audit.record({ actor: self(citizenId), action: 'consent.updated', target: { kind: 'citizen', id: citizenId }, detail: { purposes: Object.keys(checked) } });
      return citizens.currentConsents(citizenId);
    },
  };
  return service;
}

/** The GDPR service. */
export type GdprService = ReturnType<typeof createGdprService>;
