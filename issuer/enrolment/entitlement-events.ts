/** What happened to a citizen's entitlement to one service. */
export type EntitlementEventType = 'entitlement.granted' | 'entitlement.changed' | 'entitlement.suspended' | 'entitlement.revoked';

/** One entitlement change, as the issuer's services report it. */
export interface EntitlementEvent {
  type: EntitlementEventType;
  citizenId: string;
  serviceId: string;
  tier?: string;
  state: 'active' | 'suspended' | 'revoked';
}

/**
 * Where entitlement changes go: the signed webhooks to departments (wired in
 * the issuer's composition, which turns the citizen id into the per-service
 * pseudonym and honours objections). A no-op port is fine in tests.
 */
export interface EntitlementEventsPort {
  publish(event: EntitlementEvent): Promise<void>;
}
