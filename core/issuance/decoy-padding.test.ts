import { describe, expect, it } from '@jest/globals';
import { credentialTypeByName, type ResidentClaims } from '../credentials/credential-types.js';
import type { DisclosureFrame } from '../sd-jwt/pack-claims.js';
import { createCredentialKit } from '../test-kit/credential-kit.js';
import { padToClaimSlots } from './decoy-padding.js';
import { disclosureFrameFor } from './disclosure-frame.js';

const RESIDENT_PATHS = credentialTypeByName('ResidentCredential').disclosableClaimPaths;
const kit = createCredentialKit();
const withRegion = kit.residentClaims;
const { region: _region, ...addressWithoutRegion } = withRegion.address;
const withoutRegion: ResidentClaims = { ...withRegion, address: addressWithoutRegion };

const pad = (claims: ResidentClaims, paths = RESIDENT_PATHS): DisclosureFrame => {
  const subject = claims as unknown as Record<string, unknown>;
  return padToClaimSlots({ frame: disclosureFrameFor({ claims: subject, paths }), claims: subject, paths });
};

describe('padToClaimSlots', () => {
  it('pads every level to the type’s slots: no decoy where every claim is required, the missing optional claim elsewhere', () => {
    expect(withRegion.address.region).toBeDefined();
    const full = pad(withRegion);
    expect(full._sd).toHaveLength(8);
    expect(full._sd_decoy).toBe(0);
    expect((full.address as DisclosureFrame)._sd).toHaveLength(5);
    expect((full.address as DisclosureFrame)._sd_decoy).toBe(0);

    const partial = pad(withoutRegion);
    expect(partial._sd_decoy).toBe(0);
    expect((partial.address as DisclosureFrame)._sd).toHaveLength(4);
    expect((partial.address as DisclosureFrame)._sd_decoy).toBe(1);
  });

  it('pads a level whose object exists but holds none of its disclosable claims, and skips a level whose object is missing', () => {
    const paths = [['a'], ['a', 'x'], ['a', 'y'], ['b', 'z']];
    const claims = { a: { other: 1 }, c: 1 };
    const frame = padToClaimSlots({ frame: disclosureFrameFor({ claims, paths }), claims, paths });
    // Top level: one slot (a), present. a: two slots (x, y), neither present. b: no object, nothing to pad.
    expect(frame).toEqual({ _sd: ['a'], _sd_decoy: 0, a: { _sd_decoy: 2 } });
  });

  it('leaves the frame it was given unchanged', () => {
    const subject = withoutRegion as unknown as Record<string, unknown>;
    const frame = disclosureFrameFor({ claims: subject, paths: RESIDENT_PATHS });
    const before = structuredClone(frame);
    padToClaimSlots({ frame, claims: subject, paths: RESIDENT_PATHS });
    expect(frame).toEqual(before);
  });

  it('refuses a level that would need more decoys than a level may carry → INVALID_ARGUMENT', () => {
    const paths = Array.from({ length: 20 }, (_, i) => [`c${i}`]);
    expect(() => padToClaimSlots({ frame: {}, claims: {}, paths })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});
