import { randomUUID } from 'node:crypto';
import { ageOver } from '../../core/credentials/age-predicates.js';
import { UrbisError } from '../../core/errors/urbis-error.js';
import type { AuditLog } from '../audit/audit-log.js';
import type { CatalogueRepository } from '../catalogue/catalogue-repository.js';
import type { ServiceDefinition } from '../catalogue/service-definition.js';
import type { DocumentVault } from '../documents/document-vault.js';
import { DOCUMENT_KINDS, type DocumentKind } from '../documents/document-kinds.js';
import type { CredentialStatus, IssuedBatch } from '../status/credential-status.js';
import { newApplicationReference } from './application-reference.js';
import type { Application, Citizen, CitizenRepository, DocumentRecord, ServiceChoice } from './citizen-repository.js';
import { checkEnrolmentInput, checkServiceChoices, type ServiceChoiceInput } from './enrolment-input.js';
import type { EntitlementEventsPort } from './entitlement-events.js';

/** What a citizen sees about their application. */
export interface ApplicationStatus {
  application?: Application;
  services: ServiceChoice[];
  documents: Omit<DocumentRecord, 'storageKey'>[];
  credentials: IssuedBatch[];
  /** Document kinds the chosen services need that are not on file yet. */
  missingDocuments: DocumentKind[];
}

/** UTC calendar day of `ms`. */
export function dayOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** Whether the age on `today` is within the limits (29 February births reach an age on 28 February, as core's `ageOver`). */
function ageFits(birthdate: string, today: string, minAge?: number, maxAge?: number): boolean {
  return (minAge === undefined || ageOver({ birthdate, years: minAge, on: today })) && (maxAge === undefined || !ageOver({ birthdate, years: maxAge + 1, on: today }));
}

/**
 * Checks chosen services against the catalogue: the service exists and is
 * active, offers the tier, and the citizen's age fits its limits.
 * @throws UrbisError `SERVICE_UNKNOWN`, `BODY_INVALID` (tier or age).
 */
export function checkChoicesAgainstCatalogue({ choices, catalogue, birthdate, today }: { choices: readonly ServiceChoiceInput[]; catalogue: readonly ServiceDefinition[]; birthdate: string; today: string }): void {
  const byId = new Map(catalogue.map((s) => [s.id, s]));
  for (const choice of choices) {
    const service = byId.get(choice.service_id);
    if (service === undefined || !service.active) throw new UrbisError('SERVICE_UNKNOWN', `service ${choice.service_id} is not in the catalogue`);
    if (!service.tiers.includes(choice.tier)) throw new UrbisError('BODY_INVALID', `service ${service.id} does not offer tier ${choice.tier}`);
    if (!ageFits(birthdate, today, service.minAge, service.maxAge)) {
      throw new UrbisError('BODY_INVALID', `service ${service.id} has an age limit the applicant does not meet`);
    }
  }
}

/**
 * The front office's enrolment: a citizen gives identity data, address,
 * chosen services and consents (one application, state `submitted`),
 * uploads supporting documents (encrypted in the vault), sees the
 * application's status and changes the service choice at any time.
 * Changing the choice revokes the entitlement credentials of services
 * dropped or moved to another tier, and tells departments (webhooks).
 */
export function createEnrolmentService({
  citizens,
  catalogue,
  vault,
  audit,
  credentialStatus,
  events,
  referencePrefix,
  now = Date.now,
}: {
  citizens: CitizenRepository;
  catalogue: CatalogueRepository;
  vault: DocumentVault;
  audit: AuditLog;
  credentialStatus: CredentialStatus;
  events: EntitlementEventsPort;
  /** Upper-case city prefix of application references, e.g. `GIJ`. */
  referencePrefix: string;
  now?: () => number;
}) {
  const db = citizens.db;

  async function assertProcessable(citizen: Citizen): Promise<void> {
    if (citizen.restricted) throw new UrbisError('PROCESSING_RESTRICTED', 'processing of this record is restricted at the citizen\'s request');
  }

  const service = {
    /**
     * Enrols a citizen: one transaction writes the citizen, the application,
     * the service choices and the consents.
     * @throws UrbisError `BODY_INVALID`, `CONSENT_MISSING`, `SERVICE_UNKNOWN`.
     */
    async enrol(body: unknown): Promise<{ citizenId: string; application: Application }> {
      const at = now();
      const today = dayOf(at);
      const input = checkEnrolmentInput(body, { today });
      checkChoicesAgainstCatalogue({ choices: input.services, catalogue: await catalogue.list({ activeOnly: true }), birthdate: input.birthdate, today });
      const citizenId = randomUUID();
      const application = { id: randomUUID(), reference: newApplicationReference(referencePrefix), citizenId, now: at };
      await db.transaction().execute(async (tx) => {
        await citizens.insertCitizen(tx, { id: citizenId, identity: input, now: at });
        await citizens.insertApplication(tx, application);
        await citizens.replaceChoices(tx, { citizenId, choices: input.services, now: at });
        await citizens.recordConsents(tx, { citizenId, consents: input.consents, now: at });
        await audit.record({ actor: { kind: 'citizen', id: citizenId }, action: 'application.submitted', target: { kind: 'application', id: application.id }, detail: { serviceIds: input.services.map((s) => s.service_id) } }, tx);
      });
      return { citizenId, application: await citizens.applicationByReference(application.reference) };
    },

    /**
     * Stores one supporting document, encrypted, and links it to the latest application.
     * @throws UrbisError `BODY_INVALID` (kind), `DOCUMENT_TOO_LARGE`, `DOCUMENT_TYPE_UNSUPPORTED`, `PROCESSING_RESTRICTED`.
     */
    async addDocument({ citizenId, kind, bytes, declaredType, actor }: { citizenId: string; kind: unknown; bytes: Uint8Array; declaredType?: string; actor?: { kind: 'staff' | 'citizen'; id: string } }): Promise<Omit<DocumentRecord, 'storageKey'>> {
      if (typeof kind !== 'string' || !(DOCUMENT_KINDS as readonly string[]).includes(kind)) throw new UrbisError('BODY_INVALID', 'kind is missing or invalid');
      const citizen = await citizens.citizen(citizenId);
      await assertProcessable(citizen);
      const stored = await vault.put({ bytes, ...(declaredType === undefined ? {} : { declaredType }) });
      const application = await citizens.latestApplication(citizenId);
      const record: DocumentRecord = { id: randomUUID(), kind, mime: stored.mime, size: stored.size, sha256: stored.sha256, storageKey: stored.storageKey, ...(application === undefined ? {} : { applicationId: application.id }), uploadedAt: now() };
      try {
        await db.transaction().execute(async (tx) => {
          await citizens.insertDocument(tx, { ...record, citizenId });
          await audit.record({ actor: actor ?? { kind: 'citizen', id: citizenId }, action: 'document.uploaded', target: { kind: 'document', id: record.id }, detail: { documentKind: kind } }, tx);
        });
      } catch (error) {
        await vault.delete(stored.storageKey);
        throw error;
      }
      const { storageKey: _hidden, ...visible } = record;
      return visible;
    },

    /** The status of the citizen's application, services, documents and credentials. */
    async status(citizenId: string): Promise<ApplicationStatus> {
      const [application, services, documents, credentials, all] = await Promise.all([
        citizens.latestApplication(citizenId),
        citizens.choices(citizenId),
        citizens.documents(citizenId),
        credentialStatus.batchesOf(citizenId),
        catalogue.list(),
      ]);
      const onFile = new Set(documents.map((d) => d.kind));
      const needed = new Set<DocumentKind>();
      for (const choice of services) for (const kind of all.find((s) => s.id === choice.service_id)?.requiredDocuments ?? []) if (!onFile.has(kind)) needed.add(kind);
      return {
        ...(application === undefined ? {} : { application }),
        services,
        documents: documents.map(({ storageKey: _hidden, ...d }) => d),
        credentials,
        missingDocuments: [...needed].sort(),
      };
    },

    /**
     * Replaces the citizen's service choice. Services dropped, or kept with
     * another tier, get their entitlement credentials revoked (reason
     * `holder-request`); departments are told. Returns the services added or
     * changed, for which a new credential offer is due once the application
     * is validated.
     * @throws UrbisError `BODY_INVALID`, `SERVICE_UNKNOWN`, `PROCESSING_RESTRICTED`.
     */
    async changeServices({ citizenId, services: body }: { citizenId: string; services: unknown }): Promise<{ services: ServiceChoice[]; added: string[]; changed: string[]; removed: string[]; revokedBatches: number }> {
      const choices = checkServiceChoices(body);
      const citizen = await citizens.citizen(citizenId);
      await assertProcessable(citizen);
      const at = now();
      checkChoicesAgainstCatalogue({ choices, catalogue: await catalogue.list({ activeOnly: true }), birthdate: citizen.birthdate, today: dayOf(at) });
      const before = new Map((await citizens.choices(citizenId)).map((c) => [c.service_id, c]));
      const after = new Map(choices.map((c) => [c.service_id, c]));
      const removed = [...before.keys()].filter((id) => !after.has(id));
      const changed = [...after.values()].filter((c) => before.has(c.service_id) && before.get(c.service_id)!.tier !== c.tier).map((c) => c.service_id);
      const added = [...after.keys()].filter((id) => !before.has(id));
      await db.transaction().execute(async (tx) => {
        await citizens.replaceChoices(tx, { citizenId, choices, now: at });
        await audit.record({ actor: { kind: 'citizen', id: citizenId }, action: 'services.changed', target: { kind: 'citizen', id: citizenId }, detail: { serviceIds: choices.map((c) => c.service_id) } }, tx);
      });
      const stale = new Set([...removed, ...changed]);
      const revoked = await credentialStatus.revokeWhere({ citizenId, reason: 'holder-request', filter: (b) => b.serviceId !== undefined && stale.has(b.serviceId) });
      for (const serviceId of removed) await events.publish({ type: 'entitlement.revoked', citizenId, serviceId, state: 'revoked' });
      if ((await citizens.latestApplication(citizenId))?.state === 'validated') {
        for (const serviceId of added) await events.publish({ type: 'entitlement.granted', citizenId, serviceId, tier: after.get(serviceId)!.tier, state: 'active' });
      }
      for (const serviceId of changed) await events.publish({ type: 'entitlement.changed', citizenId, serviceId, tier: after.get(serviceId)!.tier, state: 'active' });
      return { services: await citizens.choices(citizenId), added, changed, removed, revokedBatches: revoked.length };
    },
  };
  return service;
}

/** The enrolment service. */
export type EnrolmentService = ReturnType<typeof createEnrolmentService>;
