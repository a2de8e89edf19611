import { UrbisError } from '../../core/errors/urbis-error.js';

/**
 * A terminal's identifier, the OpenID4VP `client_id` of its requests and
 * the `aud` its key-binding JWTs carry: `urbis:terminal:<id>` (or
 * `urn:urbis:terminal:<id>`), `<id>` of letters, digits, `.`, `_`, `:`, `-`
 * (at most 128), the form the wallet accepts.
 */
export const TERMINAL_ID_PATTERN = /^(?:urn:)?urbis:terminal:[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

/**
 * Checks a terminal id from the terminal's configuration.
 *
 * @throws UrbisError `CONFIG_INVALID` when it is not `urbis:terminal:<id>` / `urn:urbis:terminal:<id>` (the value is not repeated).
 *
 * @example
 * ```ts
 * const clientId = checkTerminalId('urbis:terminal:gijon-pool-1');
 * ```
 */
export function checkTerminalId(terminalId: unknown): string {
  if (typeof terminalId !== 'string' || !TERMINAL_ID_PATTERN.test(terminalId)) {
    throw new UrbisError('CONFIG_INVALID', 'the terminal id is not urbis:terminal:<id>');
  }
  return terminalId;
}
