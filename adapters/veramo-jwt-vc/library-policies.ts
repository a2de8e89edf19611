import type { VcdmVersion } from '../../core/jwt-vc/index.js';

/**
 * Verification policies handed to did-jwt-vc (and through Veramo to it):
 *
 * - time checks off (`issuanceDate`, `expirationDate`, `nbf`, `iat`, `exp`):
 *   the libraries only report them as message text, so `core` checks the
 *   window itself from the decoded claims and returns distinct codes;
 * - `aud` off: a VC is not audience-bound (a presentation is);
 * - `format` (did-jwt-vc's VCDM schema check) only for VCDM 1.1: did-jwt-vc
 *   4.0.16 requires the 1.1 base context, and `core` checks the 2.0 shape;
 * - `credentialStatus` off (Veramo): status is checked by Urbis status lists.
 */
export function libraryPolicies({ vcdmVersion }: { vcdmVersion: VcdmVersion }): {
  issuanceDate: false;
  expirationDate: false;
  nbf: false;
  iat: false;
  exp: false;
  aud: false;
  audience: false;
  credentialStatus: false;
  format: boolean;
} {
  return {
    issuanceDate: false,
    expirationDate: false,
    nbf: false,
    iat: false,
    exp: false,
    aud: false,
    audience: false,
    credentialStatus: false,
    format: vcdmVersion === '1.1',
  };
}
