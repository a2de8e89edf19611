import type { TerminalVerdict } from '../terminal/terminal.js';

/**
 * A verdict as the operator reads it: one line `ACCEPTED` or `REJECTED`
 * with the service, then the claims the policy asked for (accepted) or one
 * line per failed check (rejected). Only what the verdict holds: a
 * rejection names checks and codes, never a value; an acceptance shows the
 * claims the service's policy asked for and nothing else.
 *
 * @example
 * ```ts
 * formatVerdict(verdict);
 * // ['ACCEPTED pools: entitlement (ServiceEntitlementCredential), scanner', '  service_id = "pools"', '  tier = "standard"']
 * // ['REJECTED pools: KB_REPLAYED', '  replay KB_REPLAYED: …']
 * ```
 */
export function formatVerdict(verdict: TerminalVerdict): string[] {
  const service = verdict.serviceId ?? 'no service';
  if (verdict.ok) {
    const lines = [`ACCEPTED ${service}: ${verdict.accepted} (${verdict.credentialType}), ${verdict.flow}`];
    for (const [path, value] of claimLines(verdict.claims)) lines.push(`  ${path} = ${JSON.stringify(value)}`);
    for (const w of verdict.warnings) lines.push(`  warning ${w.code}: ${w.detail}`);
    return lines;
  }
  const codes = [...new Set(verdict.failures.map((f) => f.code))];
  return [`REJECTED ${service}: ${codes.join(', ')}`, ...verdict.failures.map((f) => `  ${f.check} ${f.code}: ${f.detail}`)];
}

/** Claims flattened to dotted paths (objects only; arrays stay values). */
function claimLines(claims: Record<string, unknown>, prefix = ''): [string, unknown][] {
  const out: [string, unknown][] = [];
  for (const [name, value] of Object.entries(claims)) {
    const path = `${prefix}${name}`;
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) out.push(...claimLines(value as Record<string, unknown>, `${path}.`));
    else out.push([path, value]);
  }
  return out;
}
