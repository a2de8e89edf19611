/** Bulk import of a city's existing card holders from CSV. Re-exports only. */
export {
  CARD_HOLDER_COLUMNS,
  CARD_HOLDER_CSV_LIMITS,
  parseCardHolderCsv,
  WHOLE_ROW,
  type CardHolderColumn,
  type ParsedCardHolders,
  type RejectedRow,
  type ValidRow,
} from './card-holder-csv.js';
export { BULK_IMPORT_BATCH_SIZE, createBulkImport, IMPORTED_HOLDER_CONSENTS, type BulkImport, type BulkImportReport } from './bulk-import-service.js';
