import { UrbisError } from '../../core/errors/urbis-error.js';
import type { SnapshotListSpec } from './snapshot-content.js';

/**
 * Parses `--lists` of `urbis chain snapshot` and `urbis terminal sync
 * --bootstrap`: `<listId>=<uri>` pairs separated by commas, e.g.
 * `0=http://127.0.0.1:4000/status/0,1=http://127.0.0.1:4000/status/1`
 * (the URI is the one credentials carry: `<issuer URL>/status/<listId>`
 * for an Urbis issuer).
 *
 * @throws UrbisError `INVALID_ARGUMENT`.
 *
 * @example
 * ```ts
 * parseListSpecs('0=https://gijon.example/status/0'); // [{ listId: 0, uri: 'https://gijon.example/status/0' }]
 * ```
 */
export function parseListSpecs(text: string): SnapshotListSpec[] {
  const specs = text
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .map((part) => {
      const at = part.indexOf('=');
      const id = part.slice(0, at);
      const uri = part.slice(at + 1);
      if (at < 1 || !/^\d{1,9}$/.test(id) || !/^https?:\/\/\S+$/.test(uri)) throw new UrbisError('INVALID_ARGUMENT', '--lists takes <listId>=<http(s) URI> pairs separated by commas');
      return { listId: Number(id), uri };
    });
  if (specs.length === 0) throw new UrbisError('INVALID_ARGUMENT', '--lists names no list');
  return specs;
}
