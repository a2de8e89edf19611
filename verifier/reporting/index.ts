export { DAILY_COUNTS_FORMAT, DEFAULT_RETENTION_DAYS, openDailyCountsLedger, type DailyCounts, type DailyCountsLedger, type DailyCountsLedgerLoad, type UnsentDay } from './daily-counts-ledger.js';
export { REPORT_TIMEOUT_MS, sendTerminalReport, type ReportReceipt } from './send-terminal-report.js';
export { OBSERVE_EVERY_SECONDS, startTerminalReporting, type TerminalReporting } from './start-terminal-reporting.js';
export { MAX_REPORT_DAYS, signTerminalReport, TERMINAL_REPORT_TYP } from './terminal-report.js';
export { createTerminalReporter, type TerminalReportOutcome, type TerminalReporter } from './terminal-reporter.js';
