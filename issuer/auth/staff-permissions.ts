import { UrbisError } from '../../core/errors/urbis-error.js';
import type { StaffRole } from '../db/database-schema.js';

/** What a staff member may be asked to do in the back office. */
export type StaffAction =
  | 'application.read'
  | 'application.decide'
  | 'credential.revoke'
  | 'credential.suspend'
  | 'paper_card.manage'
  | 'catalogue.manage'
  | 'keys.manage'
  | 'staff.manage'
  | 'webhooks.manage'
  | 'import.run'
  | 'audit.read'
  | 'statistics.read';

/** Every {@link StaffAction}, in a stable order (for matrices and docs). */
export const STAFF_ACTIONS: readonly StaffAction[] = Object.freeze([
  'application.read',
  'application.decide',
  'credential.revoke',
  'credential.suspend',
  'paper_card.manage',
  'catalogue.manage',
  'keys.manage',
  'staff.manage',
  'webhooks.manage',
  'import.run',
  'audit.read',
  'statistics.read',
]);

/** The part of a staff account that permissions depend on. */
export interface StaffPrincipal {
  readonly role: StaffRole;
  readonly serviceId: string | null;
  /** A disabled account may do nothing (sessions are revoked too; this is the second lock). */
  readonly disabled?: boolean;
}

/** The question asked of the permission table. */
export interface PermissionQuery {
  readonly staff: StaffPrincipal;
  readonly action: StaffAction;
  /**
   * The service the target belongs to, when the action is service-scoped:
   * - `credential.revoke` / `credential.suspend`: the entitlement's service;
   *   absent or `null` for a `ResidentCredential` (which belongs to no service);
   * - `application.read`: a service the application includes;
   * - `statistics.read`: the one service shown (absent or `null`: the whole city).
   */
  readonly serviceId?: string | null;
}

/**
 * The role → permission table, pure (no database, no clock):
 *
 * | action                                  | clerk                                | service_manager                           | admin |
 * |-----------------------------------------|--------------------------------------|-------------------------------------------|-------|
 * | application.read                        | yes                                  | applications including their service only | yes   |
 * | application.decide                      | yes                                  | no                                        | yes   |
 * | credential.revoke, credential.suspend   | ResidentCredential (no `serviceId`)  | their own service's entitlements only     | yes   |
 * | paper_card.manage (print, reprint, revoke a citizen's paper card at the counter) | yes | no              | yes   |
 * | catalogue/keys/staff/webhooks.manage    | no                                   | no                                        | yes   |
 * | import.run, audit.read                  | no                                   | no                                        | yes   |
 * | statistics.read (aggregate counts)      | no                                   | their own service only                    | yes   |
 *
 * A disabled account, an unknown role or an unknown action gets `false`.
 *
 * @example
 * ```ts
 * can({ staff: { role: 'service_manager', serviceId: 'pool' }, action: 'credential.revoke', serviceId: 'pool' }); // true
 * can({ staff: { role: 'service_manager', serviceId: 'pool' }, action: 'credential.revoke', serviceId: 'library' }); // false
 * ```
 */
export function can({ staff, action, serviceId = null }: PermissionQuery): boolean {
  if (typeof staff !== 'object' || staff === null || staff.disabled === true) return false;
  const ownService = (): boolean => typeof staff.serviceId === 'string' && staff.serviceId !== '' && serviceId === staff.serviceId;
  switch (staff.role) {
    case 'admin':
      return STAFF_ACTIONS.includes(action);
    case 'clerk':
      if (action === 'application.read' || action === 'application.decide' || action === 'paper_card.manage') return true;
      if (action === 'credential.revoke' || action === 'credential.suspend') return serviceId === null;
      return false;
    case 'service_manager':
      if (action === 'application.read' || action === 'credential.revoke' || action === 'credential.suspend' || action === 'statistics.read') return ownService();
      return false;
    default:
      return false;
  }
}

/**
 * Like {@link can}, but throws when the answer is no.
 * @throws UrbisError `FORBIDDEN`, naming the action (never the account).
 */
export function requirePermission(query: PermissionQuery): void {
  if (!can(query)) throw new UrbisError('FORBIDDEN', `this staff account may not perform ${String(query?.action)}`);
}

