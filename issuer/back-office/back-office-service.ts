import { UrbisError } from '../../core/errors/urbis-error.js';
import type { StatusChangeReason } from '../../registry/publisher/status-change.js';
import { STATUS_CHANGE_REASONS } from '../../registry/publisher/status-change.js';
import type { AuditLog } from '../audit/audit-log.js';
import type { CardPinLogin } from '../auth/card-pin-login.js';
import type { StaffMember } from '../auth/staff-accounts.js';
import { requirePermission } from '../auth/staff-permissions.js';
import type { DocumentVault } from '../documents/document-vault.js';
import { isApplicationReference, isCardNumber, newCardNumber } from '../enrolment/application-reference.js';
import type { Application, Citizen, CitizenRepository, DocumentRecord, ServiceChoice } from '../enrolment/citizen-repository.js';
import type { EntitlementEventsPort } from '../enrolment/entitlement-events.js';
import type { CredentialIssuance } from '../issuance/credential-issuance.js';
import type { IssuedOffer, OfferService } from '../issuance/offer-service.js';
import type { OfferFormat } from '../create-issuer.js';
import type { CredentialStatus, IssuedBatch, StatusAction } from '../status/credential-status.js';

/** Rejection reasons a clerk picks from (free text goes nowhere near the audit log). */
export const REJECTION_REASONS = ['documents_missing', 'documents_unreadable', 'not_resident', 'identity_not_verified', 'duplicate_application', 'other'] as const;

/** One of {@link REJECTION_REASONS}. */
export type RejectionReason = (typeof REJECTION_REASONS)[number];

/** An application as a clerk sees it: the record, the citizen's data, documents (metadata), services, credentials. */
export interface ApplicationFile {
  application: Application;
  citizen: Citizen;
  services: ServiceChoice[];
  documents: Omit<DocumentRecord, 'storageKey'>[];
  credentials: IssuedBatch[];
  cardLocked: boolean;
}

const ENTITLEMENT_EVENT: Record<StatusAction, 'entitlement.revoked' | 'entitlement.suspended' | 'entitlement.changed'> = {
  revoke: 'entitlement.revoked',
  suspend: 'entitlement.suspended',
  unsuspend: 'entitlement.changed',
};

/**
 * The back office's work: a clerk opens an application by its reference (not
 * by browsing people), reads its documents, validates or rejects it; staff
 * revoke, suspend and unsuspend credential batches within their role; offers
 * are made at the counter (the tx_code is shown to the citizen there); a
 * citizen's card PIN is set or unlocked at the counter. Every action is in
 * the audit log with the staff member's id.
 */
export function createBackOfficeService({
  citizens,
  vault,
  audit,
  credentialStatus,
  offers,
  issuance,
  cardPin,
  events,
  offerConfigurations,
  now = Date.now,
}: {
  citizens: CitizenRepository;
  vault: DocumentVault;
  audit: AuditLog;
  credentialStatus: CredentialStatus;
  offers: OfferService;
  issuance: CredentialIssuance;
  cardPin: CardPinLogin;
  events: EntitlementEventsPort;
  /** The configuration ids a citizen's offer lists (resident + chosen services). */
  offerConfigurations: (choices: readonly ServiceChoice[], formats?: readonly OfferFormat[]) => string[];
  now?: () => number;
}) {
  const actor = (staff: StaffMember) => ({ kind: 'staff' as const, id: staff.id });

  async function applicationByReference(reference: unknown): Promise<Application> {
    if (!isApplicationReference(reference)) throw new UrbisError('BODY_INVALID', 'an application reference looks like GIJ-7K3M-9QXP');
    return citizens.applicationByReference(reference);
  }

  const service = {
    /** The queue of applications awaiting a decision: references and dates only. */
    async queue({ staff, limit = 50 }: { staff: StaffMember; limit?: number }): Promise<{ reference: string; submittedAt: number }[]> {
      requirePermission({ staff, action: 'application.decide' });
      return (await citizens.queue({ state: 'submitted', limit: Math.min(Math.max(limit, 1), 200) })).map((a) => ({ reference: a.reference, submittedAt: a.submittedAt }));
    },

    /**
     * The latest application reference of the holder of a card (the citizen shows the card at the counter;
     * imported holders are found this way). Audited.
     * @throws UrbisError `BODY_INVALID` (not a card number), `RESOURCE_NOT_FOUND`, `FORBIDDEN`.
     */
    async findByCardNumber({ staff, cardNumber }: { staff: StaffMember; cardNumber: unknown }): Promise<{ reference: string }> {
      requirePermission({ staff, action: 'application.decide' });
      if (!isCardNumber(cardNumber)) throw new UrbisError('BODY_INVALID', 'a card number is 10 digits with a check digit');
      const citizenId = await citizens.citizenIdByCardNumber(cardNumber);
      const application = citizenId === undefined ? undefined : await citizens.latestApplication(citizenId);
      if (application === undefined) throw new UrbisError('RESOURCE_NOT_FOUND', 'no card holder with this number');
      await audit.record({ actor: actor(staff), action: 'card.looked_up', target: { kind: 'application', id: application.id } });
      return { reference: application.reference };
    },

    /** Opens one application file by reference (audited). */
    async open({ staff, reference }: { staff: StaffMember; reference: unknown }): Promise<ApplicationFile> {
      const application = await applicationByReference(reference);
      const [citizen, services, documents, credentials] = await Promise.all([
        citizens.citizen(application.citizenId),
        citizens.choices(application.citizenId),
        citizens.documents(application.citizenId),
        credentialStatus.batchesOf(application.citizenId),
      ]);
      if (staff.role === 'service_manager') requirePermission({ staff, action: 'application.read', serviceId: services.some((s) => s.service_id === staff.serviceId) ? staff.serviceId : null });
      else requirePermission({ staff, action: 'application.read' });
      await audit.record({ actor: actor(staff), action: 'application.opened', target: { kind: 'application', id: application.id } });
      return { application, citizen, services, documents: documents.map(({ storageKey: _k, ...d }) => d), credentials, cardLocked: await cardPin.isLocked({ citizenId: citizen.id }) };
    },

    /** A supporting document's contents, decrypted for a clerk (audited, contents never logged). */
    async document({ staff, reference, documentId }: { staff: StaffMember; reference: unknown; documentId: string }): Promise<{ bytes: Uint8Array; mime: string; kind: string }> {
      requirePermission({ staff, action: 'application.decide' });
      const application = await applicationByReference(reference);
      const record = await citizens.document(documentId);
      if (record.citizenId !== application.citizenId) throw new UrbisError('RESOURCE_NOT_FOUND', 'no such document in this application');
      const opened = await vault.get(record.storageKey);
      await audit.record({ actor: actor(staff), action: 'document.viewed', target: { kind: 'document', id: record.id }, detail: { documentKind: record.kind } });
      return { bytes: opened.bytes, mime: opened.mime, kind: record.kind };
    },

    /**
     * Validates or rejects a submitted application. Validation gives the
     * citizen a card number (if none yet) and tells departments of the new
     * entitlements; pending deferred requests are then served. Rejection
     * withdraws open offers and deferred requests.
     * @throws UrbisError `FORBIDDEN`, `RESOURCE_NOT_FOUND`, `STATE_CONFLICT` (already decided), `PROCESSING_RESTRICTED`, `BODY_INVALID` (reason).
     */
    async decide({ staff, reference, decision, reason }: { staff: StaffMember; reference: unknown; decision: unknown; reason?: unknown }): Promise<Application> {
      requirePermission({ staff, action: 'application.decide' });
      if (decision !== 'validate' && decision !== 'reject') throw new UrbisError('BODY_INVALID', 'decision is validate or reject');
      if (decision === 'reject' && (typeof reason !== 'string' || !(REJECTION_REASONS as readonly string[]).includes(reason))) throw new UrbisError('BODY_INVALID', 'a rejection needs a reason from the list');
      const application = await applicationByReference(reference);
      const citizen = await citizens.citizen(application.citizenId);
      if (citizen.restricted) throw new UrbisError('PROCESSING_RESTRICTED', 'processing of this record is restricted at the citizen\'s request');
      const at = now();
      const decided = await citizens.db.transaction().execute(async (tx) => {
        const ok = await citizens.decideApplication(tx, { id: application.id, state: decision === 'validate' ? 'validated' : 'rejected', ...(decision === 'reject' ? { reason: reason as string } : {}), staffId: staff.id, now: at });
        if (!ok) return false;
        if (decision === 'validate' && citizen.cardNumber === undefined) await citizens.setFlags(tx, { id: citizen.id, cardNumber: newCardNumber(), now: at });
        await audit.record({ actor: actor(staff), action: decision === 'validate' ? 'application.validated' : 'application.rejected', target: { kind: 'application', id: application.id }, ...(decision === 'reject' ? { detail: { reason: reason as string } } : {}) }, tx);
        return true;
      });
      if (!decided) throw new UrbisError('STATE_CONFLICT', 'this application was already decided');
      if (decision === 'validate') {
        for (const choice of await citizens.choices(citizen.id)) await events.publish({ type: 'entitlement.granted', citizenId: citizen.id, serviceId: choice.service_id, tier: choice.tier, state: 'active' });
      } else {
        await offers.withdrawAll(citizen.id);
        await issuance.withdrawDeferred(citizen.id);
      }
      return citizens.applicationByReference(application.reference);
    },

    /**
     * Revokes, suspends or unsuspends one batch of one-time copies.
     * @throws UrbisError `FORBIDDEN`, `RESOURCE_NOT_FOUND`, `STATUS_TRANSITION_FORBIDDEN`, `BODY_INVALID`.
     */
    async changeStatus({ staff, batchId, action, reason = 'issuer-decision' }: { staff: StaffMember; batchId: string; action: unknown; reason?: unknown }): Promise<IssuedBatch> {
      if (action !== 'revoke' && action !== 'suspend' && action !== 'unsuspend') throw new UrbisError('BODY_INVALID', 'action is revoke, suspend or unsuspend');
      if (typeof reason !== 'string' || !(STATUS_CHANGE_REASONS as readonly string[]).includes(reason)) throw new UrbisError('BODY_INVALID', 'reason must be one of the status change reasons');
      const batch = await credentialStatus.batch(batchId);
      requirePermission({ staff, action: action === 'revoke' ? 'credential.revoke' : 'credential.suspend', serviceId: batch.serviceId ?? null });
      const changed = await credentialStatus.apply({ batchId, action, reason: reason as StatusChangeReason });
      await audit.record({ actor: actor(staff), action: ({ revoke: 'credential.revoked', suspend: 'credential.suspended', unsuspend: 'credential.unsuspended' } as const)[action], target: { kind: 'batch', id: batchId }, detail: { reason: action === 'unsuspend' ? 'suspension-lifted' : reason, ...(batch.serviceId === undefined ? {} : { serviceId: batch.serviceId }) } });
      if (batch.serviceId !== undefined && batch.citizenId !== undefined) {
        await events.publish({ type: ENTITLEMENT_EVENT[action], citizenId: batch.citizenId, serviceId: batch.serviceId, state: changed.state === 'revoked' ? 'revoked' : changed.state === 'suspended' ? 'suspended' : 'active' });
      }
      return changed;
    },

    /** An offer made at the counter: the QR goes on the counter screen, the tx_code is told to the citizen. */
    async offerAtCounter({ staff, reference, formats }: { staff: StaffMember; reference: unknown; formats?: readonly OfferFormat[] }): Promise<IssuedOffer> {
      requirePermission({ staff, action: 'application.decide' });
      const application = await applicationByReference(reference);
      const citizen = await citizens.citizen(application.citizenId);
      if (citizen.restricted) throw new UrbisError('PROCESSING_RESTRICTED', 'processing of this record is restricted at the citizen\'s request');
      if (application.state === 'rejected') throw new UrbisError('STATE_CONFLICT', 'the application was rejected');
      return offers.create({ citizenId: citizen.id, configurationIds: offerConfigurations(await citizens.choices(citizen.id), formats), requester: actor(staff) });
    },

    /** Sets a citizen's card PIN at the counter (identity checked by the clerk), unlocking the card. */
    async setCardPin({ staff, reference, pin }: { staff: StaffMember; reference: unknown; pin: unknown }): Promise<void> {
      requirePermission({ staff, action: 'application.decide' });
      if (typeof pin !== 'string') throw new UrbisError('BODY_INVALID', 'pin is 4 to 8 digits');
      const application = await applicationByReference(reference);
      await cardPin.setPin({ citizenId: application.citizenId, pin });
      await cardPin.unlock({ citizenId: application.citizenId });
      await audit.record({ actor: actor(staff), action: 'card.pin_set', target: { kind: 'citizen', id: application.citizenId } });
    },
  };
  return service;
}

/** The back-office service. */
export type BackOfficeService = ReturnType<typeof createBackOfficeService>;
