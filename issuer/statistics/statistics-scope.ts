import { UrbisError } from '../../core/errors/urbis-error.js';
import type { StaffPrincipal } from '../auth/staff-permissions.js';

/** What one staff member may see of the statistics: every service, or one. */
export type StatisticsScope = { kind: 'city' } | { kind: 'service'; serviceId: string };

/**
 * Who sees the statistics (issue #7), pure:
 *
 * | role            | sees                                                                                     |
 * |-----------------|------------------------------------------------------------------------------------------|
 * | admin           | the whole city: every credential type, every service                                     |
 * | service_manager | their own service only: its entitlements' issuance and its verifications                  |
 * | clerk           | nothing (`FORBIDDEN`): the counter's work needs no management figures                     |
 *
 * Counts are aggregates (no person in them), but a service manager is kept to their service like everywhere else
 * in the back office. A disabled account sees nothing.
 *
 * @throws UrbisError `FORBIDDEN` (never naming the account).
 * @example
 * ```ts
 * statisticsScopeOf({ role: 'service_manager', serviceId: 'pools' }); // { kind: 'service', serviceId: 'pools' }
 * ```
 */
export function statisticsScopeOf(staff: StaffPrincipal): StatisticsScope {
  if (typeof staff === 'object' && staff !== null && staff.disabled !== true) {
    if (staff.role === 'admin') return { kind: 'city' };
    if (staff.role === 'service_manager' && typeof staff.serviceId === 'string' && staff.serviceId !== '') return { kind: 'service', serviceId: staff.serviceId };
  }
  throw new UrbisError('FORBIDDEN', 'this staff account may not read the statistics');
}
