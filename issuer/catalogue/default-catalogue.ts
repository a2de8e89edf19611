import type { ServiceDefinition } from './service-definition.js';

/**
 * The catalogue a new city starts from, modelled on Gijón's citizen card:
 * bus, libraries, pools, sports bookings, waste centres, youth pass and
 * parking. The back office edits it (admin role).
 */
export const DEFAULT_CATALOGUE: readonly ServiceDefinition[] = Object.freeze([
  { id: 'transport', names: { en: 'City buses', es: 'Autobuses urbanos', fr: 'Bus urbains' }, tiers: ['standard', 'youth', 'senior', 'reduced', 'disability'], requiredDocuments: ['proof_of_address'], active: true },
  { id: 'library', names: { en: 'Public libraries', es: 'Bibliotecas públicas', fr: 'Bibliothèques publiques' }, tiers: ['standard'], requiredDocuments: [], active: true },
  { id: 'pools', names: { en: 'Municipal pools', es: 'Piscinas municipales', fr: 'Piscines municipales' }, tiers: ['standard', 'youth', 'senior', 'family'], requiredDocuments: ['proof_of_address'], active: true },
  { id: 'sports-booking', names: { en: 'Sports facilities booking', es: 'Reserva de instalaciones deportivas', fr: 'Réservation des équipements sportifs' }, tiers: ['standard', 'youth', 'senior'], requiredDocuments: ['proof_of_address'], active: true },
  { id: 'waste-centre', names: { en: 'Recycling centres', es: 'Puntos limpios', fr: 'Déchetteries' }, tiers: ['standard'], requiredDocuments: ['proof_of_address'], active: true },
  { id: 'youth-pass', names: { en: 'Youth pass', es: 'Carné joven', fr: 'Pass jeunes' }, tiers: ['youth'], requiredDocuments: ['proof_of_address', 'identity_document'], minAge: 14, maxAge: 30, active: true },
  { id: 'parking', names: { en: 'Resident parking', es: 'Aparcamiento de residentes', fr: 'Stationnement résidentiel' }, tiers: ['standard', 'disability'], requiredDocuments: ['proof_of_address'], active: true },
] satisfies ServiceDefinition[]);
