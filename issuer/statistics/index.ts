export { createStatisticsService, type IssuanceCount, type ReportReceipt, type StatisticsOverview, type StatisticsService, type VerificationCount } from './statistics-service.js';
export { statisticsScopeOf, type StatisticsScope } from './statistics-scope.js';
export { DEFAULT_STATISTICS_DAYS, MAX_STATISTICS_DAYS, statisticsWindow, utcDay, type StatisticsWindow } from './statistics-window.js';
export { MAX_REPORT_DAYS, MAX_TERMINAL_REPORT_CHARS, parseTerminalReportPayload, TERMINAL_REPORT_TYP, type ReportDay, type ReportServiceCounts, type TerminalReportPayload } from './terminal-report.js';
export { REPORT_MAX_AGE_SECONDS, REPORT_MAX_FUTURE_SECONDS, verifyTerminalReport } from './verify-terminal-report.js';
