import { readFileSync } from 'node:fs';
import { UrbisError } from '../../core/errors/urbis-error.js';

/** Largest JSON value (inline or file) a key or signer list is read from, characters. */
export const MAX_JSON_CONFIG_CHARS = 256 * 1024;

/**
 * A JSON value from an environment variable: given inline (starting with `[`
 * or `{`) or as the path of a file holding it. One reader for every variable
 * of that kind — the terminal's `URBIS_SNAPSHOT_SIGNERS` and
 * `URBIS_SNAPSHOT_ISSUER_KEYS`, `urbis chain snapshot`'s inputs, the
 * issuer's `URBIS_TERMINAL_KEYS` — so they all accept the same forms.
 *
 * @throws UrbisError `CONFIG_INVALID` naming the variable, never its value
 *   (it may hold a key): no readable file, larger than `maxChars`, not JSON.
 *
 * @example
 * ```ts
 * const signers = readJsonValueOrFile({ raw: env['URBIS_SNAPSHOT_SIGNERS'], name: 'URBIS_SNAPSHOT_SIGNERS' });
 * ```
 */
export function readJsonValueOrFile({ raw, name, maxChars = MAX_JSON_CONFIG_CHARS }: { raw: string; name: string; maxChars?: number }): unknown {
  const invalid = (message: string, cause?: unknown): UrbisError => new UrbisError('CONFIG_INVALID', message, cause === undefined ? undefined : { cause });
  const trimmed = raw.trim();
  let text = trimmed;
  if (!trimmed.startsWith('[') && !trimmed.startsWith('{')) {
    try {
      text = readFileSync(trimmed, 'utf8');
    } catch (cause) {
      throw invalid(`${name} is neither JSON nor a readable file`, cause);
    }
  }
  if (text.length > maxChars) throw invalid(`${name} is larger than ${maxChars} characters`);
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw invalid(`${name} is not valid JSON`, cause);
  }
}
