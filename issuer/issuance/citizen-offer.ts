import { UrbisError } from '../../core/errors/urbis-error.js';
import type { Notifier } from '../auth/notifier.js';
import type { Citizen, CitizenRepository, ServiceChoice } from '../enrolment/citizen-repository.js';
import type { IssuedOffer, OfferService } from './offer-service.js';
import type { OfferFormat } from '../create-issuer.js';

/**
 * A credential offer the citizen asks for in the front office: the QR and
 * link go to the page, the tx_code to the citizen's e-mail or phone through
 * the notifier (a second channel, as OID4VCI §4.1.1 intends). Refused while
 * processing is restricted or after a rejection; allowed while the
 * application awaits a clerk (the wallet then gets deferred issuance).
 * @throws UrbisError `PROCESSING_RESTRICTED`, `STATE_CONFLICT`.
 */
export async function offerForCitizen({
  citizenId,
  citizens,
  offers,
  notifier,
  offerConfigurations,
  formats,
}: {
  citizenId: string;
  citizens: CitizenRepository;
  offers: OfferService;
  notifier: Notifier;
  offerConfigurations: (choices: readonly ServiceChoice[], formats?: readonly OfferFormat[]) => string[];
  /** Formats to offer (default: the issuer's default format). */
  formats?: readonly OfferFormat[];
}): Promise<IssuedOffer> {
  const citizen = await citizens.citizen(citizenId);
  if (citizen.restricted) throw new UrbisError('PROCESSING_RESTRICTED', 'processing of this record is restricted at the citizen\'s request');
  if ((await citizens.latestApplication(citizenId))?.state === 'rejected') throw new UrbisError('STATE_CONFLICT', 'the application was rejected: no credential can be offered');
  const offer = await offers.create({ citizenId, configurationIds: offerConfigurations(await citizens.choices(citizenId), formats), requester: { kind: 'citizen', id: citizenId } });
  await sendTxCode({ notifier, citizen, txCode: offer.txCode });
  return offer;
}

/** Sends an offer's tx_code to the citizen's e-mail or phone (the second channel of an offer shown on screen). */
export async function sendTxCode({ notifier, citizen, txCode }: { notifier: Notifier; citizen: Pick<Citizen, 'email' | 'phone'>; txCode: string }): Promise<void> {
  await notifier.send({
    to: { ...(citizen.email === undefined ? {} : { email: citizen.email }), ...(citizen.phone === undefined ? {} : { phone: citizen.phone }) },
    subject: 'Your city card: code to add it to your wallet',
    text: `Your code to add the city card to your wallet: ${txCode}. It works once, with the QR shown on the city's site.`,
  });
}
