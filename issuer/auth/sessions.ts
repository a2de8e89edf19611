import type { Kysely } from 'kysely';
import { UrbisError } from '../../core/errors/urbis-error.js';
import type { IssuerDatabase, SessionSubject } from '../db/database-schema.js';
import { hashSecret, newSecretToken } from '../security/secret-token.js';

/** Server-side sessions for citizens and staff, behind opaque bearer tokens. */
export interface Sessions {
  /** Opens a session; the token is returned once and stored only as its SHA-256. */
  issue(input: { kind: SessionSubject; subjectId: string }): Promise<{ token: string; expiresAt: number }>;
  /**
   * The subject id of a live session of that kind. An expired session is
   * deleted when seen.
   * @throws UrbisError `AUTH_REQUIRED` (no token: empty or not a string);
   *   `SESSION_INVALID` (unknown, revoked, expired, or of the other kind).
   */
  authenticate(input: { token: string; kind: SessionSubject }): Promise<string>;
  /** Ends one session (sign-out); nothing happens for an unknown token. */
  revoke(input: { token: string }): Promise<void>;
  /** Ends every session of a subject (erased citizen, disabled staff account); returns how many. */
  revokeAll(input: { kind: SessionSubject; subjectId: string }): Promise<number>;
  /** Deletes sessions past their expiry; returns how many. */
  purgeExpired(): Promise<number>;
}

/** Session lifetimes by kind, in milliseconds. */
export interface SessionTtl {
  /** Default 30 minutes. */
  citizen?: number;
  /** Default 8 hours (a working day). */
  staff?: number;
}

/** Default session lifetimes: 30 minutes for citizens, 8 hours for staff. */
export const DEFAULT_SESSION_TTL_MS: Readonly<Required<SessionTtl>> = Object.freeze({ citizen: 30 * 60_000, staff: 8 * 60 * 60_000 });

const TOKEN = /^[A-Za-z0-9_-]{43}$/;
const KINDS: readonly SessionSubject[] = ['citizen', 'staff'];

function invalid(): UrbisError {
  return new UrbisError('SESSION_INVALID', 'the session is unknown, expired or of another kind');
}

function checkKind(kind: unknown): asserts kind is SessionSubject {
  if (!KINDS.includes(kind as SessionSubject)) throw new UrbisError('INVALID_ARGUMENT', 'a session kind is citizen or staff');
}

/**
 * Creates the session store over the `sessions` table. Tokens are 256-bit
 * random base64url strings; the table keeps only their hash, so a database
 * copy holds no usable session. The lifetime is absolute from `issue` (no
 * sliding renewal): a citizen signs in again after 30 minutes, staff after
 * a working day.
 *
 * @example
 * ```ts
 * const sessions = createSessions({ db });
 * const { token, expiresAt } = await sessions.issue({ kind: 'staff', subjectId: staff.id });
 * const staffId = await sessions.authenticate({ token, kind: 'staff' });
 * ```
 * @throws UrbisError `CONFIG_INVALID` for a lifetime that is not a positive integer.
 */
export function createSessions({ db, now = Date.now, ttlMs = {} }: { db: Kysely<IssuerDatabase>; now?: () => number; ttlMs?: SessionTtl }): Sessions {
  const ttl: Required<SessionTtl> = { ...DEFAULT_SESSION_TTL_MS, ...ttlMs };
  for (const kind of KINDS) {
    if (!Number.isInteger(ttl[kind]) || ttl[kind] <= 0) throw new UrbisError('CONFIG_INVALID', `the ${kind} session lifetime must be a positive number of milliseconds`);
  }
  return {
    async issue({ kind, subjectId }) {
      checkKind(kind);
      if (typeof subjectId !== 'string' || subjectId === '') throw new UrbisError('INVALID_ARGUMENT', 'a session needs a subject id');
      const token = newSecretToken();
      const createdAt = now();
      const expiresAt = createdAt + ttl[kind];
      await db.insertInto('sessions').values({ token_hash: hashSecret(token), subject_kind: kind, subject_id: subjectId, expires_at: expiresAt, created_at: createdAt }).execute();
      return { token, expiresAt };
    },

    async authenticate({ token, kind }) {
      checkKind(kind);
      if (typeof token !== 'string' || token === '') throw new UrbisError('AUTH_REQUIRED', 'a session token is required');
      if (!TOKEN.test(token)) throw invalid();
      const tokenHash = hashSecret(token);
      const row = await db.selectFrom('sessions').select(['subject_kind', 'subject_id', 'expires_at']).where('token_hash', '=', tokenHash).executeTakeFirst();
      if (row === undefined) throw invalid();
      if (now() >= row.expires_at) {
        await db.deleteFrom('sessions').where('token_hash', '=', tokenHash).execute();
        throw invalid();
      }
      if (row.subject_kind !== kind) throw invalid();
      return row.subject_id;
    },

    async revoke({ token }) {
      if (typeof token !== 'string' || !TOKEN.test(token)) return;
      await db.deleteFrom('sessions').where('token_hash', '=', hashSecret(token)).execute();
    },

    async revokeAll({ kind, subjectId }) {
      checkKind(kind);
      if (typeof subjectId !== 'string') throw new UrbisError('INVALID_ARGUMENT', 'the subject id must be a string');
      const result = await db.deleteFrom('sessions').where('subject_kind', '=', kind).where('subject_id', '=', subjectId).executeTakeFirst();
      return Number(result.numDeletedRows);
    },

    async purgeExpired() {
      const result = await db.deleteFrom('sessions').where('expires_at', '<=', now()).executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}
