import type { StaffRole } from '../db/database-schema.js';
import { can, requirePermission, STAFF_ACTIONS, type StaffAction, type StaffPrincipal } from './staff-permissions.js';

const clerk: StaffPrincipal = { role: 'clerk', serviceId: null };
const admin: StaffPrincipal = { role: 'admin', serviceId: null };
const poolManager: StaffPrincipal = { role: 'service_manager', serviceId: 'pool' };

/** The whole matrix: [action, target service (undefined = none / ResidentCredential), clerk, pool manager, admin]. */
const MATRIX: readonly [StaffAction, string | undefined, boolean, boolean, boolean][] = [
  ['application.read', undefined, true, false, true],
  ['application.read', 'pool', true, true, true],
  ['application.read', 'library', true, false, true],
  ['application.decide', undefined, true, false, true],
  ['application.decide', 'pool', true, false, true],
  ['credential.revoke', undefined, true, false, true],
  ['credential.revoke', 'pool', false, true, true],
  ['credential.revoke', 'library', false, false, true],
  ['credential.suspend', undefined, true, false, true],
  ['credential.suspend', 'pool', false, true, true],
  ['credential.suspend', 'library', false, false, true],
  ['paper_card.manage', undefined, true, false, true],
  ['paper_card.manage', 'pool', true, false, true],
  ['catalogue.manage', undefined, false, false, true],
  ['keys.manage', undefined, false, false, true],
  ['staff.manage', undefined, false, false, true],
  ['webhooks.manage', undefined, false, false, true],
  ['import.run', undefined, false, false, true],
  ['audit.read', undefined, false, false, true],
  ['audit.read', 'pool', false, false, true],
  ['statistics.read', undefined, false, false, true],
  ['statistics.read', 'pool', false, true, true],
  ['statistics.read', 'library', false, false, true],
];

describe('can', () => {
  test.each(MATRIX)('%s (service %p): clerk %p, pool manager %p, admin %p', (action, serviceId, clerkMay, managerMay, adminMay) => {
    expect(can({ staff: clerk, action, serviceId })).toBe(clerkMay);
    expect(can({ staff: poolManager, action, serviceId })).toBe(managerMay);
    expect(can({ staff: admin, action, serviceId })).toBe(adminMay);
  });

  test('the matrix covers every action', () => {
    expect(new Set(MATRIX.map(([action]) => action))).toEqual(new Set(STAFF_ACTIONS));
  });

  test('a disabled account, an unknown role or action, or a manager without a service may do nothing', () => {
    for (const action of STAFF_ACTIONS) {
      expect(can({ staff: { ...admin, disabled: true }, action })).toBe(false);
      expect(can({ staff: { role: 'root' as StaffRole, serviceId: null }, action })).toBe(false);
      expect(can({ staff: { role: 'service_manager', serviceId: null }, action, serviceId: null })).toBe(false);
    }
    expect(can({ staff: admin, action: 'everything' as StaffAction })).toBe(false);
    expect(can({ staff: null as unknown as StaffPrincipal, action: 'audit.read' })).toBe(false);
  });
});

describe('requirePermission', () => {
  test('passes silently when allowed; FORBIDDEN naming the action when not', () => {
    expect(() => requirePermission({ staff: admin, action: 'keys.manage' })).not.toThrow();
    expect(() => requirePermission({ staff: poolManager, action: 'credential.revoke', serviceId: 'library' })).toThrow(
      expect.objectContaining({ code: 'FORBIDDEN', message: 'this staff account may not perform credential.revoke' }),
    );
  });
});
