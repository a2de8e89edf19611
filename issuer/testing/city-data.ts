import { samplePdf as documentSamplePdf } from '../documents/testing/document-samples.js';

/** A fictional citizen's enrolment body (the fixtures in core/credentials are for credentials, not enrolments). */
export function enrolmentBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    given_name: 'Covadonga',
    family_name: 'Fernández Suárez',
    birthdate: '1990-05-14',
    email: `covadonga.${Math.random().toString(36).slice(2, 10)}@example.org`,
    address: { street_address: 'Calle Corrida 12, 3º B', postal_code: '33206', locality: 'Gijón', country: 'ES' },
    resident_since: '2015-09-01',
    services: [
      { service_id: 'pools', tier: 'standard' },
      { service_id: 'library', tier: 'standard' },
    ],
    consents: { service_provision: true, notifications: false },
    ...overrides,
  };
}

/** A real PDF (a proof of address) with a marker string to look for in encrypted storage. */
export function samplePdf(marker = 'URBIS-TEST-PROOF-OF-ADDRESS'): Uint8Array {
  return documentSamplePdf(marker);
}

/** A multipart body with one document. */
export function documentForm({ kind, bytes, type = 'application/pdf', filename = 'document.pdf' }: { kind: string; bytes: Uint8Array; type?: string; filename?: string }): FormData {
  const form = new FormData();
  form.set('kind', kind);
  form.set('file', new Blob([new Uint8Array(bytes)], { type }), filename);
  return form;
}
