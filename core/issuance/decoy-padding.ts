import type { ClaimPath } from '../credentials/credential-types.js';
import { UrbisError } from '../errors/urbis-error.js';
import { MAX_DECOYS_PER_LEVEL, type DisclosureFrame } from '../sd-jwt/pack-claims.js';

/**
 * How many decoy digests an Urbis credential carries, and why.
 *
 * **What decoys are for.** Every verifier sees the `_sd` digests of every
 * level, disclosed or not, so their number could tell something about the
 * claims the holder did not disclose. Decoys (RFC 9901 §4.2.5: digests of
 * random values, indistinguishable from real ones) hide the real number.
 *
 * **What the number could tell in Urbis.** Not the type: the type is in the
 * clear (`vct` / `type`), and it fixes which claim paths are disclosable
 * (`disclosableClaimPaths`), the same for every citizen. What differs
 * between two credentials of one type is only which *optional* claims they
 * hold (a `ResidentCredential`'s `address.region`). So the rule is: pad every
 * level to the type's **slots** — the number of disclosable paths the type
 * defines at that level — whatever the citizen has. Then each level's digest
 * count is a constant of the type, equal for every copy of every citizen's
 * credential: it says nothing about which optional claims exist, and there
 * is no count to link copies by.
 *
 * **Why not more, or random.** Random 1–3 decoys per level (the earlier
 * default) hid less: the count was real + 1..3, so at the extremes it gave
 * the real count away (5 digests at the address level: no region; 8: a
 * region). Decoys beyond the slots would hide nothing more, since the count
 * is already the same for everyone, and each costs 61 bytes of base64url in
 * every presentation (QR size). A level whose disclosable claims are all
 * required (a `ResidentCredential`'s top level, all of a
 * `ServiceEntitlementCredential`) gets no decoy at all.
 *
 * Unlinkability of one-time copies does not come from decoys but from fresh
 * 144-bit salts (every digest differs per copy), a holder key and a random
 * status index per copy, and day-rounded times (DESIGN §2).
 *
 * @param args.frame The frame from {@link disclosureFrameFor} for `claims` and `paths` (not changed).
 * @param args.claims The subject claims being issued.
 * @param args.paths The disclosable claim paths of the type (the slots).
 * @returns A copy of `frame` with `_sd_decoy` at every level that has slots
 *   and whose object exists: slots minus the claims present there.
 * @throws UrbisError `INVALID_ARGUMENT` when a level would need more than
 *   `MAX_DECOYS_PER_LEVEL` decoys.
 *
 * @example
 * ```ts
 * const frame = padToClaimSlots({ frame: disclosureFrameFor({ claims, paths }), claims, paths });
 * // a resident without address.region: { _sd: [8 names], _sd_decoy: 0, address: { _sd: [4 names], _sd_decoy: 1 } }
 * ```
 */
export function padToClaimSlots({
  frame,
  claims,
  paths,
}: {
  frame: DisclosureFrame;
  claims: Record<string, unknown>;
  paths: readonly ClaimPath[];
}): DisclosureFrame {
  const slots = new Map<string, { parent: ClaimPath; names: Set<string> }>();
  for (const path of paths) {
    if (path.length === 0) continue;
    const parent = path.slice(0, -1);
    const key = JSON.stringify(parent);
    let level = slots.get(key);
    if (level === undefined) slots.set(key, (level = { parent, names: new Set() }));
    level.names.add(path[path.length - 1]!);
  }
  const padded = structuredClone(frame);
  for (const { parent, names } of slots.values()) {
    if (!isPlainObject(valueAt(claims, parent))) continue; // no such object, no level (if it is a disclosable path, its slot is padded one level up)
    let level = padded;
    for (const step of parent) {
      level[step] ??= {};
      level = level[step] as DisclosureFrame;
    }
    const present = (level._sd ?? []).filter((name) => names.has(String(name))).length;
    const decoys = names.size - present;
    if (decoys > MAX_DECOYS_PER_LEVEL) throw new UrbisError('INVALID_ARGUMENT', `a level would need more than ${MAX_DECOYS_PER_LEVEL} decoys`);
    level._sd_decoy = decoys;
  }
  return padded;
}

function valueAt(root: unknown, path: ClaimPath): unknown {
  let node = root;
  for (const step of path) {
    if (!isPlainObject(node) || !Object.prototype.hasOwnProperty.call(node, step)) return undefined;
    node = node[step];
  }
  return node;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
