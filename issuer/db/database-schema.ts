import type { ColumnType, Generated } from 'kysely';

/**
 * The issuer's tables, as Kysely sees them. One schema for SQLite and
 * PostgreSQL (see `migrations.ts`): times are epoch milliseconds in
 * integer/bigint columns, booleans are 0/1 integers, lists and maps are JSON
 * text. Personal data lives only in `citizens`, `service_choices`,
 * `consents` and `documents` (whose contents are files encrypted outside the
 * database); everything else is keyed by random ids.
 */
export interface IssuerDatabase {
  citizens: CitizensTable;
  applications: ApplicationsTable;
  service_choices: ServiceChoicesTable;
  consents: ConsentsTable;
  documents: DocumentsTable;
  services: ServicesTable;
  credential_offers: CredentialOffersTable;
  access_tokens: AccessTokensTable;
  refresh_tokens: RefreshTokensTable;
  nonces: NoncesTable;
  deferred_issuances: DeferredIssuancesTable;
  issued_batches: IssuedBatchesTable;
  issued_copies: IssuedCopiesTable;
  status_lists: StatusListsTable;
  staff: StaffTable;
  sessions: SessionsTable;
  otp_challenges: OtpChallengesTable;
  audit_log: AuditLogTable;
  erasure_records: ErasureRecordsTable;
  webhook_subscriptions: WebhookSubscriptionsTable;
  webhook_deliveries: WebhookDeliveriesTable;
  signing_keys: SigningKeysTable;
  terminal_report_days: TerminalReportDaysTable;
  verification_counts: VerificationCountsTable;
}

/** 0 or 1. */
export type Flag = 0 | 1;

export interface CitizensTable {
  id: string;
  card_number: string | null;
  given_name: string;
  family_name: string;
  birthdate: string;
  email: string | null;
  phone: string | null;
  street_address: string;
  postal_code: string;
  locality: string;
  country: string;
  resident_since: string;
  pin_hash: string | null;
  pin_failed_attempts: ColumnType<number, number | undefined, number>;
  restricted: ColumnType<Flag, Flag | undefined, Flag>;
  /** JSON array of the purposes the citizen objected to. */
  objected_purposes: ColumnType<string, string | undefined, string>;
  created_at: number;
  updated_at: number;
}

export type ApplicationState = 'submitted' | 'validated' | 'rejected';

export interface ApplicationsTable {
  id: string;
  reference: string;
  citizen_id: string;
  state: ApplicationState;
  rejection_reason: string | null;
  submitted_at: number;
  decided_at: number | null;
  decided_by: string | null;
}

export interface ServiceChoicesTable {
  citizen_id: string;
  service_id: string;
  tier: string;
  chosen_at: number;
}

export interface ConsentsTable {
  id: Generated<number>;
  citizen_id: string;
  purpose: string;
  granted: Flag;
  recorded_at: number;
}

export interface DocumentsTable {
  id: string;
  citizen_id: string;
  application_id: string | null;
  kind: string;
  mime: string;
  size: number;
  sha256: string;
  storage_key: string;
  uploaded_at: number;
}

export interface ServicesTable {
  id: string;
  /** JSON `{ en, es, fr }`. */
  names: string;
  /** JSON array of tiers. */
  tiers: string;
  /** JSON array of document kinds an application for this service needs. */
  required_documents: string;
  min_age: number | null;
  max_age: number | null;
  active: Flag;
  updated_at: number;
}

export type OfferState = 'offered' | 'redeemed' | 'withdrawn';

export interface CredentialOffersTable {
  id: string;
  citizen_id: string;
  pre_authorized_code_hash: string;
  tx_code_hash: string | null;
  tx_code_attempts: ColumnType<number, number | undefined, number>;
  /** JSON array of credential configuration ids. */
  configuration_ids: string;
  state: OfferState;
  expires_at: number;
  created_at: number;
}

/** The grant an access token came from: a pre-authorized code exchange or a refresh (migration 0004). */
export type AccessTokenGrant = 'pre-authorized_code' | 'refresh_token';

export interface AccessTokensTable {
  token_hash: string;
  offer_id: string;
  citizen_id: string;
  configuration_ids: string;
  expires_at: number;
  /** The refresh token family issued with it or that issued it; its tokens die with the family (migration 0004). */
  refresh_family_id: ColumnType<string | null, string | null | undefined, string | null>;
  grant_type: ColumnType<AccessTokenGrant, AccessTokenGrant | undefined, AccessTokenGrant>;
}

/** `active`: usable once; `rotated`: spent by a refresh (a replay revokes the family); `revoked`: by replay detection or restriction. */
export type RefreshTokenState = 'active' | 'rotated' | 'revoked';

/** OAuth refresh tokens (migration 0004): SHA-256 of the token only; one family per pre-authorized code exchange. */
export interface RefreshTokensTable {
  token_hash: string;
  /** Random id shared by every token rotated from the same pre-authorized code exchange. */
  family_id: string;
  citizen_id: string;
  /** The offer whose exchange started the family. */
  offer_id: string;
  /** JSON array of the credential configuration ids the family's access tokens allow. */
  configuration_ids: string;
  state: RefreshTokenState;
  created_at: number;
  expires_at: number;
  /** When it was spent by a refresh. */
  used_at: number | null;
}

export interface NoncesTable {
  nonce_hash: string;
  expires_at: number;
}

export type DeferredState = 'pending' | 'issued' | 'withdrawn';

export interface DeferredIssuancesTable {
  transaction_id_hash: string;
  citizen_id: string;
  access_token_hash: string;
  configuration_id: string;
  /** JSON array of the holder public JWKs from the proofs, deleted once issued. */
  holder_keys: string;
  state: DeferredState;
  created_at: number;
}

export type BatchState = 'active' | 'suspended' | 'revoked';

export interface IssuedBatchesTable {
  id: string;
  /** Null once the citizen's data is erased (the status entries must stay revoked). */
  citizen_id: string | null;
  configuration_id: string;
  credential_type: string;
  service_id: string | null;
  format: string;
  state: BatchState;
  issued_at: number;
  valid_until: number;
  /** 1 while the batch is suspended because the citizen restricted processing (migration 0002). */
  suspended_by_restriction: ColumnType<Flag, Flag | undefined, Flag>;
}

export interface IssuedCopiesTable {
  batch_id: string;
  status_list_id: number;
  status_index: number;
}

export interface StatusListsTable {
  list_id: number;
  uri: string;
  size: number;
  allocated: ColumnType<number, number | undefined, number>;
  created_at: number;
}

export type StaffRole = 'clerk' | 'service_manager' | 'admin';

export interface StaffTable {
  id: string;
  username: string;
  password_hash: string;
  role: StaffRole;
  service_id: string | null;
  disabled: ColumnType<Flag, Flag | undefined, Flag>;
  created_at: number;
}

export type SessionSubject = 'citizen' | 'staff';

export interface SessionsTable {
  token_hash: string;
  subject_kind: SessionSubject;
  subject_id: string;
  expires_at: number;
  created_at: number;
}

export interface OtpChallengesTable {
  id: string;
  citizen_id: string;
  code_hash: string;
  attempts: ColumnType<number, number | undefined, number>;
  consumed: ColumnType<Flag, Flag | undefined, Flag>;
  expires_at: number;
  created_at: number;
}

export type ActorKind = 'staff' | 'citizen' | 'system';

export interface AuditLogTable {
  id: Generated<number>;
  at: number;
  actor_kind: ActorKind;
  actor_id: string | null;
  action: string;
  target_kind: string | null;
  target_id: string | null;
  /** JSON object of non-personal details (codes, counts, service ids, reasons chosen from a list). */
  detail: string | null;
}

export interface ErasureRecordsTable {
  id: string;
  erased_at: number;
  /** JSON array of the erased citizen's application references. */
  application_references: string;
  batches_revoked: number;
  documents_deleted: number;
}

export interface WebhookSubscriptionsTable {
  id: string;
  url: string;
  secret: string;
  /** JSON array of service ids, or `["*"]`. */
  service_ids: string;
  active: Flag;
  created_at: number;
}

export type DeliveryState = 'pending' | 'delivered' | 'failed';

export interface WebhookDeliveriesTable {
  id: string;
  subscription_id: string;
  event_type: string;
  payload: string;
  state: DeliveryState;
  attempts: ColumnType<number, number | undefined, number>;
  next_attempt_at: number;
  last_status: number | null;
  created_at: number;
  delivered_at: number | null;
}

export type SigningKeyState = 'active' | 'retired';

export interface SigningKeysTable {
  kid: string;
  public_jwk: string;
  /** The private JWK, AES-256-GCM under the configured master key (never the key itself in clear). */
  private_jwk_sealed: string;
  state: SigningKeyState;
  created_at: number;
  retired_at: number | null;
}

/**
 * Which terminal report each terminal's day of counts came from (migration 0005): a report for that day replaces
 * the counts only when it is newer (`report_iat`, then a larger `total`), so re-sending never double counts and an
 * older report never lowers them.
 */
export interface TerminalReportDaysTable {
  /** `urbis:terminal:<id>` (a configured terminal, never a person). */
  terminal_id: string;
  /** UTC day, `YYYY-MM-DD`. */
  day: string;
  /** The report's `iat`, epoch milliseconds (whole seconds). */
  report_iat: number;
  /** Accepted + rejected verifications of that day in that report (the tie-break of equal `report_iat`). */
  total: number;
  received_at: number;
}

/** `accepted`, or `rejected` (with `code` '' for all rejections, else the count of rejections with that code). */
export type VerificationOutcomeKind = 'accepted' | 'rejected';

/** Aggregate verification counts pushed by terminals (migration 0005): counts only, per UTC day. */
export interface VerificationCountsTable {
  terminal_id: string;
  day: string;
  service_id: string;
  outcome: VerificationOutcomeKind;
  /** '' for the total of the outcome; an Urbis error code for rejections counted per code. */
  code: string;
  count: number;
}
