import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import { isUrbisError, UrbisError } from '../../core/errors/urbis-error.js';
import type { AuditLog } from '../audit/audit-log.js';
import type { CatalogueRepository } from '../catalogue/catalogue-repository.js';
import type { IssuerDatabase } from '../db/database-schema.js';
import { newApplicationReference } from '../enrolment/application-reference.js';
import type { CitizenRepository } from '../enrolment/citizen-repository.js';
import type { ConsentPurpose } from '../enrolment/enrolment-input.js';
import { dayOf } from '../enrolment/enrolment-service.js';
import { CARD_HOLDER_CSV_LIMITS, parseCardHolderCsv, type RejectedRow, type ValidRow } from './card-holder-csv.js';

/** What an import run did (or, with `dryRun`, would do). Counts, line numbers, field names and codes only: no personal data. */
export interface BulkImportReport {
  dryRun: boolean;
  /** Data rows in the file. */
  rows: number;
  /** Card holders written (with `dryRun`: that would be written). */
  imported: number;
  /** Refused rows, by line: the file's own problems and card numbers already in the database (`CARD_NUMBER_TAKEN`). */
  rejected: RejectedRow[];
  /** How many of `rejected` are card numbers already held in the database (a re-run of the same file, say). */
  skippedExisting: number;
}

/** Rows per transaction. */
export const BULK_IMPORT_BATCH_SIZE = 500;

/**
 * Existing card holders are not asking for a card: the city already runs
 * theirs as a public task (GDPR art. 6(1)(e)). The schema records the basis of
 * processing as consent records per purpose, and enrolment requires
 * `service_provision`; the import records that one purpose, granted, dated
 * the import. Optional purposes (notifications, statistics) are not assumed:
 * holders give them later themselves.
 */
export const IMPORTED_HOLDER_CONSENTS: Readonly<Partial<Record<ConsentPurpose, boolean>>> = Object.freeze({ service_provision: true });

/** A batch lost a race for a card number (enrolment or another import took it between check and insert): run the batch again. */
const MAX_BATCH_ATTEMPTS = 3;

/**
 * Imports a city's existing card holders (migration from the plastic card)
 * from a CSV file (see `parseCardHolderCsv`). Each valid row becomes a
 * citizen holding their card number, an application already `validated`
 * (the old card system vetted them: decided by the importing staff member),
 * their service choices and a `service_provision` record
 * ({@link IMPORTED_HOLDER_CONSENTS}). Rows are written in transactions of
 * `batchSize`; a card number already in the database is refused
 * (`CARD_NUMBER_TAKEN`), so running the same file twice imports nothing twice.
 * One audit entry per run (`import.completed`, counts only), by the staff
 * member; a run stopped by a database error leaves the batches already
 * committed and an `import.failed` entry with the counts so far.
 */
export function createBulkImport({
  citizens,
  catalogue,
  audit,
  referencePrefix,
  now = Date.now,
  batchSize = BULK_IMPORT_BATCH_SIZE,
  limits = CARD_HOLDER_CSV_LIMITS,
}: {
  citizens: CitizenRepository;
  catalogue: CatalogueRepository;
  audit: AuditLog;
  /** Upper-case city prefix of application references, e.g. `GIJ` (as for enrolment). */
  referencePrefix: string;
  now?: () => number;
  batchSize?: number;
  limits?: { maxRows?: number; maxBytes?: number };
}) {
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new UrbisError('INVALID_ARGUMENT', 'batchSize is a positive integer');
  const db = citizens.db;

  async function existingCardNumbers(cardNumbers: string[], tx: Kysely<IssuerDatabase> | Transaction<IssuerDatabase> = db): Promise<Set<string>> {
    if (cardNumbers.length === 0) return new Set();
    const found = await tx.selectFrom('citizens').select('card_number').where('card_number', 'in', cardNumbers).execute();
    return new Set(found.map((r) => r.card_number).filter((c): c is string => c !== null));
  }

  /** Writes one batch in one transaction; returns the rows refused because their card number is already held. */
  async function writeBatch(batch: ValidRow[], { staffId, at }: { staffId: string; at: number }): Promise<RejectedRow[]> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await db.transaction().execute(async (tx) => {
          const held = await existingCardNumbers(batch.map((r) => r.cardNumber), tx);
          const taken: RejectedRow[] = [];
          for (const row of batch) {
            if (held.has(row.cardNumber)) {
              taken.push({ line: row.line, fields: ['card_number'], code: 'CARD_NUMBER_TAKEN' });
              continue;
            }
            const citizenId = randomUUID();
            const applicationId = randomUUID();
            await citizens.insertCitizen(tx, { id: citizenId, identity: row.identity, cardNumber: row.cardNumber, now: at });
            await citizens.insertApplication(tx, { id: applicationId, reference: newApplicationReference(referencePrefix), citizenId, now: at });
            await citizens.decideApplication(tx, { id: applicationId, state: 'validated', staffId, now: at });
            await citizens.replaceChoices(tx, { citizenId, choices: row.services, now: at });
            await citizens.recordConsents(tx, { citizenId, consents: IMPORTED_HOLDER_CONSENTS, now: at });
          }
          return taken;
        });
      } catch (error) {
        if (isUrbisError(error, 'CARD_NUMBER_TAKEN') && attempt < MAX_BATCH_ATTEMPTS) continue;
        throw error;
      }
    }
  }

  return {
    /**
     * Checks the file, then imports its valid rows (with `dryRun`: checks the
     * file and the database, writes nothing, not even the audit entry).
     * @throws UrbisError `BODY_INVALID`, `INPUT_TOO_LARGE` for the file as a
     *   whole (nothing written); `INVALID_ARGUMENT` for a bad `staffId`.
     */
    async run({ csv, staffId, dryRun = false }: { csv: string | Uint8Array; staffId: string; dryRun?: boolean }): Promise<BulkImportReport> {
      if (typeof staffId !== 'string' || staffId.length === 0 || staffId.length > 200) throw new UrbisError('INVALID_ARGUMENT', 'staffId is the importing staff member\'s id');
      const at = now();
      const parsed = parseCardHolderCsv({ csv, catalogue: await catalogue.list(), today: dayOf(at), ...limits });
      const rows = parsed.rows.length + parsed.rejected.length;
      const rejected = [...parsed.rejected];
      let imported = 0;
      let skippedExisting = 0;
      try {
        for (let start = 0; start < parsed.rows.length; start += batchSize) {
          const batch = parsed.rows.slice(start, start + batchSize);
          let taken: RejectedRow[];
          if (dryRun) {
            const held = await existingCardNumbers(batch.map((r) => r.cardNumber));
            taken = batch.filter((r) => held.has(r.cardNumber)).map((r) => ({ line: r.line, fields: ['card_number'], code: 'CARD_NUMBER_TAKEN' as const }));
          } else {
            taken = await writeBatch(batch, { staffId, at });
          }
          rejected.push(...taken);
          skippedExisting += taken.length;
          imported += batch.length - taken.length;
        }
      } catch (error) {
        if (!dryRun) {
          await audit
            .record({ actor: { kind: 'staff', id: staffId }, action: 'import.failed', detail: { rows, accepted: imported, rejected: rejected.length, ...(error instanceof UrbisError ? { code: error.code } : {}) } })
            .catch(() => undefined); // the import's own error is the one to report
        }
        throw error;
      }
      if (!dryRun) await audit.record({ actor: { kind: 'staff', id: staffId }, action: 'import.completed', detail: { rows, accepted: imported, rejected: rejected.length } });
      rejected.sort((a, b) => a.line - b.line);
      return { dryRun, rows, imported, rejected, skippedExisting };
    },
  };
}

/** The bulk import of existing card holders. */
export type BulkImport = ReturnType<typeof createBulkImport>;
