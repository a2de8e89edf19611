/** The citizen's presentation history: export. Re-exports only. */
export { exportHistory, type ExportedPresentation, type HistoryExportFormat } from './export-history.js';
