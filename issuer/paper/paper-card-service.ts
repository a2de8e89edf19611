import { UrbisError } from '../../core/errors/urbis-error.js';
import { layoutQr } from '../../core/qr/qr-code.js';
import type { AuditLog } from '../audit/audit-log.js';
import type { StaffMember } from '../auth/staff-accounts.js';
import { requirePermission } from '../auth/staff-permissions.js';
import type { CatalogueRepository } from '../catalogue/catalogue-repository.js';
import { isApplicationReference } from '../enrolment/application-reference.js';
import type { CitizenRepository } from '../enrolment/citizen-repository.js';
import type { CredentialIssuance } from '../issuance/credential-issuance.js';
import type { CredentialStatus } from '../status/credential-status.js';
import { renderPaperCardPdf, type PaperCardLanguage } from './pdf/paper-card-pdf.js';

/**
 * What a paper card's QR codes carry: each pass's SD-JWT compact
 * serialisation as ASCII text, laid out by core's QR code (the wallet's).
 * Not the wallet's deflated binary form (≈ 35 % smaller: version 13 instead
 * of 17 for a pass): desk scanners at libraries and waste centres are
 * keyboard-wedge devices that type what they read, which only works for
 * text, and any phone can show a citizen what their card says. A version-17
 * code is still 1 mm per module on the card-sized page. The terminal takes
 * both forms.
 */
export const PAPER_QR_FORM = 'sd-jwt-text';

/** The printed languages. */
export const PAPER_CARD_LANGUAGES: readonly PaperCardLanguage[] = Object.freeze(['es', 'en', 'fr']);

/** A printed card: the PDF and what it carries (no personal data: services, validity, QR sizes). */
export interface PrintedPaperCard {
  /** The PDF: an A4 sheet, then one ID-1 card-sized page per service. */
  pdf: Uint8Array;
  passes: { serviceId: string; validUntil: number; qrVersion: number }[];
  /** Earlier paper passes of the citizen revoked by this print (a lost or replaced card). */
  replaced: number;
}

/** The city's design on the printed card. */
export interface PaperCardDesign {
  name: string;
  /** `#rrggbb`. */
  colour: string;
}

/**
 * Paper cards for citizens without a smartphone (issue #8).
 *
 * A card is one bearer `PaperServicePass` per chosen service (its own status
 * entry, the per-service pseudonym, short validity: see
 * `credentialIssuance.paperPasses` and docs/paper-card.md), each put in a QR
 * by the same code as the wallet's (core's QR layout; see {@link PAPER_QR_FORM}),
 * printed as a PDF with only the service names, validity and the city.
 *
 * **One card at a time**: printing a card revokes every earlier paper pass of
 * the citizen (reason `credential-replaced`), after the new ones are issued,
 * so a lost card is dealt with in one step (reprint), and an old sheet stops
 * working at the terminals' next sync. `revoke` does it without a reprint.
 * The citizen prints at home from the front office; a clerk prints, reprints
 * or revokes at the counter by application reference (permission
 * `paper_card.manage`). Every print and revocation is audited.
 */
export function createPaperCardService({
  issuance,
  credentialStatus,
  catalogue,
  citizens,
  audit,
  design,
  now = Date.now,
}: {
  issuance: CredentialIssuance;
  credentialStatus: CredentialStatus;
  catalogue: CatalogueRepository;
  citizens: CitizenRepository;
  audit: AuditLog;
  design: PaperCardDesign;
  now?: () => number;
}) {
  async function print({ citizenId, requester, language }: { citizenId: string; requester: { kind: 'citizen' | 'staff'; id: string }; language: unknown }): Promise<PrintedPaperCard> {
    const lang = paperLanguage(language);
    const passes = await issuance.paperPasses({ citizenId, requester });
    const fresh = new Set(passes.map((p) => p.batchId));
    const replaced = await credentialStatus.revokeWhere({ citizenId, reason: 'credential-replaced', filter: (b) => b.credentialType === 'PaperServicePass' && !fresh.has(b.id) });
    const names = new Map((await catalogue.list()).map((s) => [s.id, s.names[lang]]));
    const printed = await Promise.all(
      // The QR carries the pass as text (its SD-JWT compact serialisation, ASCII): see PAPER_QR_FORM.
      passes.map(async (pass) => ({ pass, qr: await layoutQr({ data: pass.credential }) })),
    );
    const { pdf } = await renderPaperCardPdf({
      city: design,
      passes: printed.map(({ pass, qr }) => ({ serviceName: names.get(pass.serviceId) ?? pass.serviceId, validUntil: new Date(pass.validUntil * 1000), qr })),
      language: lang,
      issuedAt: new Date(now()),
    });
    await audit.record({ actor: requester, action: 'card.paper_printed', target: { kind: 'citizen', id: citizenId }, detail: { copies: passes.length, batches: replaced.length } });
    return { pdf, passes: printed.map(({ pass, qr }) => ({ serviceId: pass.serviceId, validUntil: pass.validUntil, qrVersion: qr.version })), replaced: replaced.length };
  }

  async function revoke({ citizenId, requester }: { citizenId: string; requester: { kind: 'citizen' | 'staff'; id: string } }): Promise<{ revoked: number }> {
    const revoked = await credentialStatus.revokeWhere({ citizenId, reason: 'holder-request', filter: (b) => b.credentialType === 'PaperServicePass' });
    await audit.record({ actor: requester, action: 'card.paper_revoked', target: { kind: 'citizen', id: citizenId }, detail: { batches: revoked.length } });
    return { revoked: revoked.length };
  }

  async function citizenOfReference(reference: unknown): Promise<string> {
    if (!isApplicationReference(reference)) throw new UrbisError('BODY_INVALID', 'an application reference looks like GIJ-7K3M-9QXP');
    return (await citizens.applicationByReference(reference)).citizenId;
  }

  return {
    /**
     * The citizen prints their own card (front office, print at home).
     * @throws UrbisError `PROCESSING_RESTRICTED`, `STATE_CONFLICT`, `BODY_INVALID` (language).
     */
    printForCitizen({ citizenId, language }: { citizenId: string; language?: unknown }): Promise<PrintedPaperCard> {
      return print({ citizenId, requester: { kind: 'citizen', id: citizenId }, language });
    },

    /**
     * A clerk prints or reprints a card at the counter (the earlier card stops working).
     * @throws UrbisError `FORBIDDEN`, `BODY_INVALID`, `RESOURCE_NOT_FOUND`, `PROCESSING_RESTRICTED`, `STATE_CONFLICT`.
     */
    async printAtCounter({ staff, reference, language }: { staff: StaffMember; reference: unknown; language?: unknown }): Promise<PrintedPaperCard> {
      requirePermission({ staff, action: 'paper_card.manage' });
      return print({ citizenId: await citizenOfReference(reference), requester: { kind: 'staff', id: staff.id }, language });
    },

    /**
     * A clerk revokes a lost card without printing another.
     * @throws UrbisError `FORBIDDEN`, `BODY_INVALID`, `RESOURCE_NOT_FOUND`.
     */
    async revokeAtCounter({ staff, reference }: { staff: StaffMember; reference: unknown }): Promise<{ revoked: number }> {
      requirePermission({ staff, action: 'paper_card.manage' });
      return revoke({ citizenId: await citizenOfReference(reference), requester: { kind: 'staff', id: staff.id } });
    },

    /** The citizen revokes their own card (front office: "I lost my card"). */
    revokeForCitizen({ citizenId }: { citizenId: string }): Promise<{ revoked: number }> {
      return revoke({ citizenId, requester: { kind: 'citizen', id: citizenId } });
    },
  };
}

/** The paper card service. */
export type PaperCardService = ReturnType<typeof createPaperCardService>;

/**
 * The printed language, `es` by default (the city's own).
 * @throws UrbisError `BODY_INVALID` for anything but `es`, `en`, `fr`.
 */
export function paperLanguage(value: unknown): PaperCardLanguage {
  if (value === undefined || value === null || value === '') return 'es';
  if (typeof value === 'string' && (PAPER_CARD_LANGUAGES as readonly string[]).includes(value)) return value as PaperCardLanguage;
  throw new UrbisError('BODY_INVALID', 'language is es, en or fr');
}
