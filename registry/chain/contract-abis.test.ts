import { describe, expect, it } from '@jest/globals';
import { Interface } from 'ethers';
import { STATUS_REGISTRY_ABI, STATUS_REGISTRY_ERRORS, TRUSTED_ISSUER_REGISTRY_ABI, TRUSTED_ISSUER_REGISTRY_ERRORS } from './contract-abis.js';
import { CONTRACT_ERROR_CODES } from './chain-errors.js';
import { loadContractArtifact } from './contract-artifacts.js';

/** Every function, event and error signature of an ABI, in canonical form. */
function signatures(abi: ReadonlyArray<unknown>): Set<string> {
  const out = new Set<string>();
  const iface = new Interface(abi as never);
  iface.forEachFunction((f) => void out.add(`function ${f.format('sighash')}`));
  iface.forEachEvent((e) => void out.add(`event ${e.format('sighash')}`));
  iface.forEachError((e) => void out.add(`error ${e.format('sighash')}`));
  return out;
}

describe('hand-written ABIs match the compiled contracts', () => {
  it.each([
    ['StatusRegistry', [...STATUS_REGISTRY_ABI, ...STATUS_REGISTRY_ERRORS]],
    ['TrustedIssuerRegistry', [...TRUSTED_ISSUER_REGISTRY_ABI, ...TRUSTED_ISSUER_REGISTRY_ERRORS]],
  ] as const)('%s: every signature used by registry/ exists in the artifact, and every custom error is known', (name, abi) => {
    const compiled = signatures(loadContractArtifact(name).abi);
    const ours = signatures(abi);
    for (const signature of ours) expect(compiled).toContain(signature);
    for (const signature of compiled) if (signature.startsWith('error ')) expect(ours).toContain(signature);
  });

  it('every error mapped to an Urbis code exists in a contract', () => {
    const known = new Set([...STATUS_REGISTRY_ERRORS, ...TRUSTED_ISSUER_REGISTRY_ERRORS].map((e) => e.slice(6, e.indexOf('('))));
    for (const name of Object.keys(CONTRACT_ERROR_CODES)) expect(known).toContain(name);
  });
});
