/**
 * The demo's two cities and their fictional citizens. Every person, address
 * and e-mail here is invented (e-mails under the reserved example.org).
 */

/** A demo city: its issuer's identity and its accounts on the demo chain. */
export interface DemoCitySpec {
  cityId: 'gijon' | 'oviedo';
  cityName: string;
  municipality: string;
  referencePrefix: string;
  postalCode: string;
  /** Hardhat account of the city (federation member, controller of its issuer's entry). */
  memberAccount: 1 | 2;
  /** Hardhat account that writes the city's status lists (its issuer's publisher). */
  writerAccount: 3 | 4;
}

export const DEMO_CITIES: readonly DemoCitySpec[] = [
  { cityId: 'gijon', cityName: 'Gijón', municipality: 'Gijón', referencePrefix: 'GIJ', postalCode: '33206', memberAccount: 1, writerAccount: 3 },
  { cityId: 'oviedo', cityName: 'Oviedo', municipality: 'Oviedo', referencePrefix: 'OVI', postalCode: '33003', memberAccount: 2, writerAccount: 4 },
];

/** The credential types every demo issuer is accredited for in the federation. */
export const DEMO_CREDENTIAL_TYPES = ['ResidentCredential', 'ServiceEntitlementCredential', 'PaperServicePass'];

/**
 * The did:web of a demo issuer listening on loopback `port`. did:web refuses
 * IP addresses (`did:web:127.0.0.1%3A4001` is invalid), so the demo names the
 * same loopback host `localhost`: `did:web:localhost%3A4001` is the DID of
 * `https://localhost:4001`. Nobody resolves it in the demo (the terminal gets
 * the keys from the issuers' `/.well-known/did.json` at start, and checks
 * them against the thumbprints the federation registry lists).
 */
export function demoIssuerDid(port: number): string {
  return `did:web:localhost%3A${port}`;
}

/** A fictional citizen to enrol. */
export interface DemoCitizen {
  cityId: DemoCitySpec['cityId'];
  givenName: string;
  familyName: string;
  birthdate: string;
  street: string;
  residentSince: string;
  services: { service_id: string; tier: string }[];
}

export const DEMO_CITIZENS: readonly DemoCitizen[] = [
  { cityId: 'gijon', givenName: 'Covadonga', familyName: 'Fernández Suárez', birthdate: '1990-05-14', street: 'Calle Corrida 12, 3º B', residentSince: '2015-09-01', services: [{ service_id: 'pools', tier: 'standard' }, { service_id: 'library', tier: 'standard' }] },
  { cityId: 'gijon', givenName: 'Pelayo', familyName: 'Menéndez Álvarez', birthdate: '2006-11-02', street: 'Avenida de la Costa 48, 1º A', residentSince: '2006-11-02', services: [{ service_id: 'pools', tier: 'youth' }, { service_id: 'transport', tier: 'youth' }] },
  { cityId: 'gijon', givenName: 'Xuacu', familyName: 'García Rodríguez', birthdate: '1975-02-20', street: 'Calle Uría 7, bajo', residentSince: '2001-03-15', services: [{ service_id: 'library', tier: 'standard' }, { service_id: 'waste-centre', tier: 'standard' }] },
  // Oviedo's senior: no pools entitlement of her own city, so at Gijón's pools she enters as a senior resident of a federation city.
  { cityId: 'oviedo', givenName: 'Aurelia', familyName: 'Pérez Cuesta', birthdate: '1952-03-08', street: 'Calle Cimadevilla 3, 2º', residentSince: '1980-06-01', services: [{ service_id: 'library', tier: 'standard' }] },
  { cityId: 'oviedo', givenName: 'Nel', familyName: 'Suárez Llana', birthdate: '1998-08-30', street: 'Calle Gascona 21, 4º C', residentSince: '2020-01-10', services: [{ service_id: 'pools', tier: 'standard' }] },
];
