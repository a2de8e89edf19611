import { UrbisError } from '../../core/errors/urbis-error.js';
import { can, type StaffPrincipal } from '../auth/staff-permissions.js';

/** What one staff member may see of the statistics: every service, or one. */
export type StatisticsScope = { kind: 'city' } | { kind: 'service'; serviceId: string };

/**
 * Who sees the statistics (issue #7), pure, from the permission table's
 * `statistics.read` (issuer/auth/staff-permissions.ts):
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
  if (can({ staff, action: 'statistics.read' })) return { kind: 'city' };
  const own = typeof staff === 'object' && staff !== null ? staff.serviceId : null;
  if (typeof own === 'string' && own !== '' && can({ staff, action: 'statistics.read', serviceId: own })) return { kind: 'service', serviceId: own };
  throw new UrbisError('FORBIDDEN', 'this staff account may not read the statistics');
}
