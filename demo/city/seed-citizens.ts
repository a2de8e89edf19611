import { randomBytes } from 'node:crypto';
import { readOutboxFile } from '../../issuer/auth/notifier.js';
import { documentForm, enrolmentBody, samplePdf } from '../../issuer/testing/city-data.js';
import type { DemoCitizen } from './demo-cities.js';
import type { DemoIssuer } from './demo-issuer.js';

/** A seeded citizen's credential offer, ready for a wallet. */
export interface SeededOffer {
  cityId: string;
  /** Fictional. */
  name: string;
  birthdate: string;
  services: string[];
  /** The application reference the clerk validated. */
  reference: string;
  /** `openid-credential-offer://…` by reference (what the QR carries). */
  offer: string;
  /** The same offer by value. */
  offerByValue: string;
  /** The one-time tx_code, as the notifier sent it (the demo's outbox file). */
  txCode: string;
}

/** One HTTP exchange with an issuer's API; throws with the status and problem type when it is not `expected`. */
async function call(issuer: DemoIssuer, method: string, path: string, { token, json, body, expected }: { token?: string; json?: unknown; body?: FormData; expected: number }): Promise<Record<string, unknown>> {
  const response = await fetch(`${issuer.url}${path}`, {
    method,
    headers: { ...(token === undefined ? {} : { authorization: `Bearer ${token}` }), ...(json === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(json !== undefined ? { body: JSON.stringify(json) } : body !== undefined ? { body } : {}),
  });
  const text = await response.text();
  if (response.status !== expected) {
    // Problem details carry a type and title, never personal data: safe to show.
    let problem = '';
    try {
      const parsed = JSON.parse(text) as { type?: string; title?: string };
      problem = ` ${parsed.type ?? ''} ${parsed.title ?? ''}`;
    } catch {
      /* not JSON */
    }
    throw new Error(`${issuer.city.cityId}: ${method} ${path} answered ${response.status}, expected ${expected}${problem}`);
  }
  return text === '' ? {} : (JSON.parse(text) as Record<string, unknown>);
}

/** The clerk signs in to the back office. */
export async function clerkToken(issuer: DemoIssuer): Promise<string> {
  const clerk = issuer.staff.find((s) => s.role === 'clerk');
  if (clerk === undefined) throw new Error(`${issuer.city.cityId}: no clerk account`);
  const login = await call(issuer, 'POST', '/back-office/login', { json: { username: clerk.username, password: clerk.password }, expected: 200 });
  return login['token'] as string;
}

/**
 * Seeds citizens through the issuer's real HTTP API, as at the counter:
 * the citizen enrols in the front office and uploads a proof of address,
 * the clerk validates the application in the back office, the citizen
 * asks for a credential offer, and the tx_code is read from the
 * notifier's outbox file (where the demo's issuer "sends" it).
 */
export async function seedCitizens({ issuer, citizens }: { issuer: DemoIssuer; citizens: readonly DemoCitizen[] }): Promise<SeededOffer[]> {
  const clerk = await clerkToken(issuer);
  const offers: SeededOffer[] = [];
  for (const citizen of citizens) {
    const email = `${citizen.givenName.toLowerCase()}.${randomBytes(4).toString('hex')}@example.org`;
    const enrolled = await call(issuer, 'POST', '/front-office/enrolments', {
      json: enrolmentBody({
        given_name: citizen.givenName,
        family_name: citizen.familyName,
        birthdate: citizen.birthdate,
        email,
        address: { street_address: citizen.street, postal_code: issuer.city.postalCode, locality: issuer.city.municipality, country: 'ES' },
        resident_since: citizen.residentSince,
        services: citizen.services,
      }),
      expected: 201,
    });
    const reference = (enrolled['application'] as { reference: string }).reference;
    const session = (enrolled['session'] as { token: string }).token;
    await call(issuer, 'POST', '/front-office/me/documents', { token: session, body: documentForm({ kind: 'proof_of_address', bytes: samplePdf(`URBIS-DEMO-PROOF-${reference}`) }), expected: 201 });
    await call(issuer, 'POST', `/back-office/applications/${reference}/decision`, { token: clerk, json: { decision: 'validate' }, expected: 200 });
    const offer = await call(issuer, 'POST', '/front-office/me/offers', { token: session, expected: 201 });
    offers.push({
      cityId: issuer.city.cityId,
      name: `${citizen.givenName} ${citizen.familyName}`,
      birthdate: citizen.birthdate,
      services: citizen.services.map((s) => `${s.service_id} (${s.tier})`),
      reference,
      offer: offer['deepLink'] as string,
      offerByValue: offer['deepLinkByValue'] as string,
      txCode: await lastCodeSentTo(issuer, email),
    });
  }
  return offers;
}

/** The last six-digit code the issuer's notifier wrote for `email`. */
async function lastCodeSentTo(issuer: DemoIssuer, email: string): Promise<string> {
  const entries = (await readOutboxFile({ path: issuer.config.notifierOutboxPath })).filter((e) => e.to.email === email);
  const match = /(\d{6})/.exec(entries.at(-1)?.text ?? '');
  if (match === null) throw new Error(`${issuer.city.cityId}: no tx_code in the notifier outbox`);
  return match[1]!;
}
