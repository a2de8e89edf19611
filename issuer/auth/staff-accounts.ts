import { randomUUID } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import { UrbisError } from '../../core/errors/urbis-error.js';
import type { IssuerDatabase, StaffRole, StaffTable } from '../db/database-schema.js';
import { checkPasswordPolicy, hashPassword, verifyPassword, type ScryptCost } from '../security/password-hash.js';
import { isUniqueViolation } from '../db/unique-violation.js';

/** A back-office account as the rest of the issuer sees it: never the password hash. */
export interface StaffMember {
  readonly id: string;
  /** Lowercase, 3–64 characters of `a-z 0-9 . _ -`, starting with a letter or digit. */
  readonly username: string;
  readonly role: StaffRole;
  /** The service a `service_manager` manages; `null` for the other roles. */
  readonly serviceId: string | null;
  readonly disabled: boolean;
  readonly createdAt: number;
}

/** Back-office accounts: clerks, service managers, administrators. */
export interface StaffAccounts {
  /**
   * Creates an account.
   * @throws UrbisError `INVALID_ARGUMENT` (username shape, password policy, unknown role,
   *   a service manager without a service or another role with one); `STATE_CONFLICT` (username taken).
   */
  create(input: { username: string; password: string; role: StaffRole; serviceId?: string | null }): Promise<StaffMember>;
  /**
   * Checks a username and password.
   * @throws UrbisError `AUTH_FAILED` for an unknown username, a wrong password or a disabled
   *   account alike (each runs one password hash, so they take about as long).
   */
  verifyLogin(input: { username: string; password: string }): Promise<StaffMember>;
  /** @throws UrbisError `RESOURCE_NOT_FOUND`. */
  get(id: string): Promise<StaffMember>;
  /** Every account, disabled ones included, by username. */
  list(): Promise<StaffMember[]>;
  /**
   * Disables an account and ends its sessions, in one transaction. Disabling
   * a disabled account does nothing.
   * @throws UrbisError `RESOURCE_NOT_FOUND`; `STATE_CONFLICT` when it is the last enabled admin.
   */
  disable(id: string): Promise<void>;
  /**
   * Sets a new password and ends the account's sessions (the caller signs in
   * again). With `currentPassword` (self-service) that password must match;
   * without it (an admin's reset) it is not asked.
   * @throws UrbisError `INVALID_ARGUMENT` (password policy), `RESOURCE_NOT_FOUND`,
   *   `AUTH_FAILED` (wrong current password).
   */
  changePassword(input: { id: string; newPassword: string; currentPassword?: string }): Promise<void>;
}

/** The three staff roles. */
export const STAFF_ROLES: readonly StaffRole[] = Object.freeze(['clerk', 'service_manager', 'admin']);

const USERNAME = /^[a-z0-9][a-z0-9._-]{2,63}$/;
const MAX_SERVICE_ID_LENGTH = 128;

function toMember(row: Omit<Selectable<StaffTable>, 'password_hash'>): StaffMember {
  return { id: row.id, username: row.username, role: row.role, serviceId: row.service_id, disabled: row.disabled === 1, createdAt: row.created_at };
}

function authFailed(): UrbisError {
  return new UrbisError('AUTH_FAILED', 'the username or password is wrong, or the account is disabled');
}

const PUBLIC_COLUMNS = ['id', 'username', 'role', 'service_id', 'disabled', 'created_at'] as const;

/**
 * Creates the staff account store over the `staff` table. Usernames are
 * trimmed and lower-cased; passwords follow `checkPasswordPolicy` and are
 * kept as scrypt hashes (`passwordCost`, default `DEFAULT_PASSWORD_COST`;
 * tests pass a low one). Existing hashes keep verifying after the cost
 * changes, since each records its own.
 *
 * A `service_manager` must have a `serviceId`; clerks and admins must not.
 * Whether the service exists in the catalogue is not checked here.
 *
 * @example
 * ```ts
 * const staff = createStaffAccounts({ db });
 * await staff.create({ username: 'ana', password: 'a long passphrase', role: 'service_manager', serviceId: 'pool' });
 * const member = await staff.verifyLogin({ username: 'ana', password: 'a long passphrase' });
 * ```
 */
export function createStaffAccounts({ db, now = Date.now, passwordCost }: { db: Kysely<IssuerDatabase>; now?: () => number; passwordCost?: ScryptCost }): StaffAccounts {
  let dummy: Promise<string> | undefined;

  async function find(id: string): Promise<StaffMember> {
    if (typeof id !== 'string') throw new UrbisError('INVALID_ARGUMENT', 'a staff id must be a string');
    const row = await db.selectFrom('staff').select(PUBLIC_COLUMNS).where('id', '=', id).executeTakeFirst();
    if (row === undefined) throw new UrbisError('RESOURCE_NOT_FOUND', 'no such staff account');
    return toMember(row);
  }

  return {
    async create({ username, password, role, serviceId = null }) {
      const name = typeof username === 'string' ? username.trim().toLowerCase() : '';
      if (!USERNAME.test(name)) {
        throw new UrbisError('INVALID_ARGUMENT', 'a username is 3 to 64 characters of a-z, 0-9, dot, underscore or hyphen, starting with a letter or digit');
      }
      if (!STAFF_ROLES.includes(role)) throw new UrbisError('INVALID_ARGUMENT', 'the role must be clerk, service_manager or admin');
      if (role === 'service_manager') {
        if (typeof serviceId !== 'string' || serviceId.trim() === '' || serviceId.length > MAX_SERVICE_ID_LENGTH) {
          throw new UrbisError('INVALID_ARGUMENT', 'a service manager needs the id of the service they manage');
        }
      } else if (serviceId !== null) {
        throw new UrbisError('INVALID_ARGUMENT', `a ${role} is not attached to a service`);
      }
      checkPasswordPolicy({ password });
      const taken = await db.selectFrom('staff').select('id').where('username', '=', name).executeTakeFirst();
      if (taken !== undefined) throw new UrbisError('STATE_CONFLICT', 'this username is already taken');
      const row = { id: randomUUID(), username: name, password_hash: await hashPassword({ password, cost: passwordCost }), role, service_id: serviceId, disabled: 0 as const, created_at: now() };
      try {
        await db.insertInto('staff').values(row).execute();
      } catch (error) {
        if (isUniqueViolation(error)) throw new UrbisError('STATE_CONFLICT', 'this username is already taken');
        throw error;
      }
      return toMember(row);
    },

    async verifyLogin({ username, password }) {
      const name = typeof username === 'string' ? username.trim().toLowerCase() : '';
      const secret = typeof password === 'string' ? password : '';
      const row = USERNAME.test(name) ? await db.selectFrom('staff').selectAll().where('username', '=', name).executeTakeFirst() : undefined;
      if (row === undefined) {
        dummy ??= hashPassword({ password: 'urbis-dummy-password', cost: passwordCost });
        await verifyPassword({ password: secret, stored: await dummy });
        throw authFailed();
      }
      const ok = await verifyPassword({ password: secret, stored: row.password_hash });
      if (!ok || row.disabled === 1) throw authFailed();
      return toMember(row);
    },

    get: find,

    async list() {
      const rows = await db.selectFrom('staff').select(PUBLIC_COLUMNS).orderBy('username').execute();
      return rows.map(toMember);
    },

    async disable(id) {
      const member = await find(id);
      if (member.disabled) return;
      await db.transaction().execute(async (trx) => {
        if (member.role === 'admin') {
          const others = await trx.selectFrom('staff').select('id').where('role', '=', 'admin').where('disabled', '=', 0).where('id', '!=', id).limit(1).execute();
          if (others.length === 0) throw new UrbisError('STATE_CONFLICT', 'the last enabled admin cannot be disabled');
        }
        await trx.updateTable('staff').set({ disabled: 1 }).where('id', '=', id).execute();
        await trx.deleteFrom('sessions').where('subject_kind', '=', 'staff').where('subject_id', '=', id).execute();
      });
    },

    async changePassword({ id, newPassword, currentPassword }) {
      checkPasswordPolicy({ password: newPassword });
      if (typeof id !== 'string') throw new UrbisError('INVALID_ARGUMENT', 'a staff id must be a string');
      const row = await db.selectFrom('staff').select(['id', 'password_hash']).where('id', '=', id).executeTakeFirst();
      if (row === undefined) throw new UrbisError('RESOURCE_NOT_FOUND', 'no such staff account');
      if (currentPassword !== undefined && !(await verifyPassword({ password: currentPassword, stored: row.password_hash }))) throw authFailed();
      const passwordHash = await hashPassword({ password: newPassword, cost: passwordCost });
      await db.transaction().execute(async (trx) => {
        await trx.updateTable('staff').set({ password_hash: passwordHash }).where('id', '=', id).execute();
        await trx.deleteFrom('sessions').where('subject_kind', '=', 'staff').where('subject_id', '=', id).execute();
      });
    },
  };
}
