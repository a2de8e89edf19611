import type { Request, RequestHandler, Response } from 'express';
import { UrbisError } from '../../core/errors/urbis-error.js';
import type { StaffMember } from '../auth/staff-accounts.js';
import type { IssuerContext } from '../create-issuer.js';

/** The bearer token of a request, if any. */
export function bearerToken(req: Request): string | undefined {
  const header = req.get('authorization');
  if (header === undefined) return undefined;
  const match = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/.exec(header);
  return match?.[1];
}

/** Requires a citizen session; sets `res.locals.citizenId`. */
export function citizenSession(ctx: Pick<IssuerContext, 'sessions'>): RequestHandler {
  return async (req, res, next) => {
    const token = bearerToken(req);
    if (token === undefined) throw new UrbisError('AUTH_REQUIRED', 'sign in first: a bearer session token is required');
    res.locals['citizenId'] = await ctx.sessions.authenticate({ token, kind: 'citizen' });
    res.locals['sessionToken'] = token;
    next();
  };
}

/** Requires a staff session; sets `res.locals.staff` (refused when the account is disabled). */
export function staffSession(ctx: Pick<IssuerContext, 'sessions' | 'staff'>): RequestHandler {
  return async (req, res, next) => {
    const token = bearerToken(req);
    if (token === undefined) throw new UrbisError('AUTH_REQUIRED', 'sign in first: a bearer session token is required');
    const staffId = await ctx.sessions.authenticate({ token, kind: 'staff' });
    const member = await ctx.staff.get(staffId);
    if (member.disabled) throw new UrbisError('SESSION_INVALID', 'this staff account is disabled');
    res.locals['staff'] = member;
    res.locals['sessionToken'] = token;
    next();
  };
}

/** The signed-in citizen's id. */
export function citizenOf(res: Response): string {
  return res.locals['citizenId'] as string;
}

/** The signed-in staff member. */
export function staffOf(res: Response): StaffMember {
  return res.locals['staff'] as StaffMember;
}
