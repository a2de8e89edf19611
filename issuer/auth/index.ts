/** Sign-in for citizens (e-mail code, card + PIN) and staff, sessions, staff permissions, rate limiting. Re-exports only. */
export { createOutboxFileNotifier, readOutboxFile, type NotificationMessage, type Notifier, type OutboxEntry } from './notifier.js';
export { createCitizenOtp, type CitizenOtp, type CitizenOtpOptions, type OtpMessageComposer } from './citizen-otp.js';
export { createCardPinLogin, type CardPinLogin, type CardPinLoginOptions } from './card-pin-login.js';
export { DEFAULT_PURGE_INTERVAL_MS, createExpiredRowsPurge, type ExpiredRowsPurge, type ExpiringRows, type PurgeCounts } from './expired-rows-purge.js';
export { DEFAULT_SESSION_TTL_MS, createSessions, type SessionTtl, type Sessions } from './sessions.js';
export { STAFF_ROLES, createStaffAccounts, type StaffAccounts, type StaffMember } from './staff-accounts.js';
export { STAFF_ACTIONS, can, requirePermission, type PermissionQuery, type StaffAction, type StaffPrincipal } from './staff-permissions.js';
export { createRateLimiter, type RateLimitDecision, type RateLimiter, type RateLimiterOptions } from './rate-limiter.js';
