import { sql, type Kysely, type Migration } from 'kysely';

/** The two engines the issuer runs on. */
export type DatabaseEngine = 'sqlite' | 'postgres';

/**
 * The issuer's schema, as ordered migrations shared by both engines. Column
 * types are chosen to mean the same on both: `text`, `integer` (PostgreSQL
 * `bigint` for epoch-millisecond times), JSON as text. The two places that
 * differ are generated ids and the audit log's append-only guard (a trigger
 * on each engine that refuses UPDATE and DELETE).
 *
 * Never edit a migration that has shipped: add a new one.
 */
export function issuerMigrations(engine: DatabaseEngine): Record<string, Migration> {
  const time = engine === 'postgres' ? 'bigint' : 'integer';
  return {
    '0001-initial': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('citizens')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('card_number', 'text', (c) => c.unique())
          .addColumn('given_name', 'text', (c) => c.notNull())
          .addColumn('family_name', 'text', (c) => c.notNull())
          .addColumn('birthdate', 'text', (c) => c.notNull())
          .addColumn('email', 'text')
          .addColumn('phone', 'text')
          .addColumn('street_address', 'text', (c) => c.notNull())
          .addColumn('postal_code', 'text', (c) => c.notNull())
          .addColumn('locality', 'text', (c) => c.notNull())
          .addColumn('country', 'text', (c) => c.notNull())
          .addColumn('resident_since', 'text', (c) => c.notNull())
          .addColumn('pin_hash', 'text')
          .addColumn('pin_failed_attempts', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('restricted', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('objected_purposes', 'text', (c) => c.notNull().defaultTo('[]'))
          .addColumn('created_at', time, (c) => c.notNull())
          .addColumn('updated_at', time, (c) => c.notNull())
          .execute();
        await db.schema.createIndex('citizens_email').on('citizens').column('email').execute();

        await db.schema
          .createTable('applications')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('reference', 'text', (c) => c.notNull().unique())
          .addColumn('citizen_id', 'text', (c) => c.notNull().references('citizens.id').onDelete('cascade'))
          .addColumn('state', 'text', (c) => c.notNull())
          .addColumn('rejection_reason', 'text')
          .addColumn('submitted_at', time, (c) => c.notNull())
          .addColumn('decided_at', time)
          .addColumn('decided_by', 'text')
          .execute();
        await db.schema.createIndex('applications_citizen').on('applications').column('citizen_id').execute();
        await db.schema.createIndex('applications_state').on('applications').columns(['state', 'submitted_at']).execute();

        await db.schema
          .createTable('service_choices')
          .addColumn('citizen_id', 'text', (c) => c.notNull().references('citizens.id').onDelete('cascade'))
          .addColumn('service_id', 'text', (c) => c.notNull())
          .addColumn('tier', 'text', (c) => c.notNull())
          .addColumn('chosen_at', time, (c) => c.notNull())
          .addPrimaryKeyConstraint('service_choices_pk', ['citizen_id', 'service_id'])
          .execute();

        await db.schema
          .createTable('consents')
          .addColumn('id', engine === 'postgres' ? 'serial' : 'integer', (c) => (engine === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement()))
          .addColumn('citizen_id', 'text', (c) => c.notNull().references('citizens.id').onDelete('cascade'))
          .addColumn('purpose', 'text', (c) => c.notNull())
          .addColumn('granted', 'integer', (c) => c.notNull())
          .addColumn('recorded_at', time, (c) => c.notNull())
          .execute();
        await db.schema.createIndex('consents_citizen').on('consents').column('citizen_id').execute();

        await db.schema
          .createTable('documents')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('citizen_id', 'text', (c) => c.notNull().references('citizens.id').onDelete('cascade'))
          .addColumn('application_id', 'text')
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('mime', 'text', (c) => c.notNull())
          .addColumn('size', 'integer', (c) => c.notNull())
          .addColumn('sha256', 'text', (c) => c.notNull())
          .addColumn('storage_key', 'text', (c) => c.notNull().unique())
          .addColumn('uploaded_at', time, (c) => c.notNull())
          .execute();
        await db.schema.createIndex('documents_citizen').on('documents').column('citizen_id').execute();

        await db.schema
          .createTable('services')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('names', 'text', (c) => c.notNull())
          .addColumn('tiers', 'text', (c) => c.notNull())
          .addColumn('required_documents', 'text', (c) => c.notNull())
          .addColumn('min_age', 'integer')
          .addColumn('max_age', 'integer')
          .addColumn('active', 'integer', (c) => c.notNull())
          .addColumn('updated_at', time, (c) => c.notNull())
          .execute();

        await db.schema
          .createTable('credential_offers')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('citizen_id', 'text', (c) => c.notNull().references('citizens.id').onDelete('cascade'))
          .addColumn('pre_authorized_code_hash', 'text', (c) => c.notNull().unique())
          .addColumn('tx_code_hash', 'text')
          .addColumn('tx_code_attempts', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('configuration_ids', 'text', (c) => c.notNull())
          .addColumn('state', 'text', (c) => c.notNull())
          .addColumn('expires_at', time, (c) => c.notNull())
          .addColumn('created_at', time, (c) => c.notNull())
          .execute();
        await db.schema.createIndex('credential_offers_citizen').on('credential_offers').column('citizen_id').execute();

        await db.schema
          .createTable('access_tokens')
          .addColumn('token_hash', 'text', (c) => c.primaryKey())
          .addColumn('offer_id', 'text', (c) => c.notNull())
          .addColumn('citizen_id', 'text', (c) => c.notNull().references('citizens.id').onDelete('cascade'))
          .addColumn('configuration_ids', 'text', (c) => c.notNull())
          .addColumn('expires_at', time, (c) => c.notNull())
          .execute();

        await db.schema
          .createTable('nonces')
          .addColumn('nonce_hash', 'text', (c) => c.primaryKey())
          .addColumn('expires_at', time, (c) => c.notNull())
          .execute();

        await db.schema
          .createTable('deferred_issuances')
          .addColumn('transaction_id_hash', 'text', (c) => c.primaryKey())
          .addColumn('citizen_id', 'text', (c) => c.notNull().references('citizens.id').onDelete('cascade'))
          .addColumn('access_token_hash', 'text', (c) => c.notNull())
          .addColumn('configuration_id', 'text', (c) => c.notNull())
          .addColumn('holder_keys', 'text', (c) => c.notNull())
          .addColumn('state', 'text', (c) => c.notNull())
          .addColumn('created_at', time, (c) => c.notNull())
          .execute();

        await db.schema
          .createTable('issued_batches')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('citizen_id', 'text', (c) => c.references('citizens.id').onDelete('set null'))
          .addColumn('configuration_id', 'text', (c) => c.notNull())
          .addColumn('credential_type', 'text', (c) => c.notNull())
          .addColumn('service_id', 'text')
          .addColumn('format', 'text', (c) => c.notNull())
          .addColumn('state', 'text', (c) => c.notNull())
          .addColumn('issued_at', time, (c) => c.notNull())
          .addColumn('valid_until', time, (c) => c.notNull())
          .execute();
        await db.schema.createIndex('issued_batches_citizen').on('issued_batches').column('citizen_id').execute();

        await db.schema
          .createTable('issued_copies')
          .addColumn('batch_id', 'text', (c) => c.notNull().references('issued_batches.id'))
          .addColumn('status_list_id', 'integer', (c) => c.notNull())
          .addColumn('status_index', 'integer', (c) => c.notNull())
          .addPrimaryKeyConstraint('issued_copies_pk', ['status_list_id', 'status_index'])
          .execute();
        await db.schema.createIndex('issued_copies_batch').on('issued_copies').column('batch_id').execute();

        await db.schema
          .createTable('status_lists')
          .addColumn('list_id', 'integer', (c) => c.primaryKey())
          .addColumn('uri', 'text', (c) => c.notNull())
          .addColumn('size', 'integer', (c) => c.notNull())
          .addColumn('allocated', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('created_at', time, (c) => c.notNull())
          .execute();

        await db.schema
          .createTable('staff')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('username', 'text', (c) => c.notNull().unique())
          .addColumn('password_hash', 'text', (c) => c.notNull())
          .addColumn('role', 'text', (c) => c.notNull())
          .addColumn('service_id', 'text')
          .addColumn('disabled', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('created_at', time, (c) => c.notNull())
          .execute();

        await db.schema
          .createTable('sessions')
          .addColumn('token_hash', 'text', (c) => c.primaryKey())
          .addColumn('subject_kind', 'text', (c) => c.notNull())
          .addColumn('subject_id', 'text', (c) => c.notNull())
          .addColumn('expires_at', time, (c) => c.notNull())
          .addColumn('created_at', time, (c) => c.notNull())
          .execute();
        await db.schema.createIndex('sessions_subject').on('sessions').columns(['subject_kind', 'subject_id']).execute();

        await db.schema
          .createTable('otp_challenges')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('citizen_id', 'text', (c) => c.notNull().references('citizens.id').onDelete('cascade'))
          .addColumn('code_hash', 'text', (c) => c.notNull())
          .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('consumed', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('expires_at', time, (c) => c.notNull())
          .addColumn('created_at', time, (c) => c.notNull())
          .execute();

        await db.schema
          .createTable('audit_log')
          .addColumn('id', engine === 'postgres' ? 'serial' : 'integer', (c) => (engine === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement()))
          .addColumn('at', time, (c) => c.notNull())
          .addColumn('actor_kind', 'text', (c) => c.notNull())
          .addColumn('actor_id', 'text')
          .addColumn('action', 'text', (c) => c.notNull())
          .addColumn('target_kind', 'text')
          .addColumn('target_id', 'text')
          .addColumn('detail', 'text')
          .execute();
        if (engine === 'postgres') {
          await sql`create function urbis_audit_log_append_only() returns trigger language plpgsql as $$
            begin raise exception 'audit_log is append-only'; end $$`.execute(db);
          await sql`create trigger audit_log_append_only before update or delete on audit_log
            for each row execute function urbis_audit_log_append_only()`.execute(db);
        } else {
          await sql`create trigger audit_log_no_update before update on audit_log
            begin select raise(abort, 'audit_log is append-only'); end`.execute(db);
          await sql`create trigger audit_log_no_delete before delete on audit_log
            begin select raise(abort, 'audit_log is append-only'); end`.execute(db);
        }

        await db.schema
          .createTable('erasure_records')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('erased_at', time, (c) => c.notNull())
          .addColumn('application_references', 'text', (c) => c.notNull())
          .addColumn('batches_revoked', 'integer', (c) => c.notNull())
          .addColumn('documents_deleted', 'integer', (c) => c.notNull())
          .execute();

        await db.schema
          .createTable('webhook_subscriptions')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('url', 'text', (c) => c.notNull())
          .addColumn('secret', 'text', (c) => c.notNull())
          .addColumn('service_ids', 'text', (c) => c.notNull())
          .addColumn('active', 'integer', (c) => c.notNull())
          .addColumn('created_at', time, (c) => c.notNull())
          .execute();

        await db.schema
          .createTable('webhook_deliveries')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('subscription_id', 'text', (c) => c.notNull().references('webhook_subscriptions.id').onDelete('cascade'))
          .addColumn('event_type', 'text', (c) => c.notNull())
          .addColumn('payload', 'text', (c) => c.notNull())
          .addColumn('state', 'text', (c) => c.notNull())
          .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('next_attempt_at', time, (c) => c.notNull())
          .addColumn('last_status', 'integer')
          .addColumn('created_at', time, (c) => c.notNull())
          .addColumn('delivered_at', time)
          .execute();
        await db.schema.createIndex('webhook_deliveries_due').on('webhook_deliveries').columns(['state', 'next_attempt_at']).execute();

        await db.schema
          .createTable('signing_keys')
          .addColumn('kid', 'text', (c) => c.primaryKey())
          .addColumn('public_jwk', 'text', (c) => c.notNull())
          .addColumn('private_jwk_sealed', 'text', (c) => c.notNull())
          .addColumn('state', 'text', (c) => c.notNull())
          .addColumn('created_at', time, (c) => c.notNull())
          .addColumn('retired_at', time)
          .execute();
      },
    },
    '0002-restriction-suspensions': {
      // GDPR art. 18: batches suspended because the citizen restricted processing are marked,
      // so lifting the restriction unsuspends exactly those (not ones staff suspended for other reasons).
      async up(db: Kysely<unknown>) {
        await db.schema.alterTable('issued_batches').addColumn('suspended_by_restriction', 'integer', (c) => c.notNull().defaultTo(0)).execute();
      },
    },
    '0003-one-active-signing-key': {
      // At most one active signing key, even when two issuer processes start (or rotate) at once.
      async up(db: Kysely<unknown>) {
        await db.schema.createIndex('signing_keys_one_active').on('signing_keys').column('state').unique().where(sql.ref('state'), '=', 'active').execute();
      },
    },
    '0004-refresh-tokens': {
      // OAuth refresh tokens (RFC 6749 §6) of the token endpoint: only their SHA-256 is stored. Each is single
      // use (rotation): a spent one stays as `rotated` so that its replay is recognised and revokes its family
      // (every token descended from one pre-authorized code exchange), access tokens of the family included.
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('refresh_tokens')
          .addColumn('token_hash', 'text', (c) => c.primaryKey())
          .addColumn('family_id', 'text', (c) => c.notNull())
          .addColumn('citizen_id', 'text', (c) => c.notNull().references('citizens.id').onDelete('cascade'))
          .addColumn('offer_id', 'text', (c) => c.notNull())
          .addColumn('configuration_ids', 'text', (c) => c.notNull())
          .addColumn('state', 'text', (c) => c.notNull())
          .addColumn('created_at', time, (c) => c.notNull())
          .addColumn('expires_at', time, (c) => c.notNull())
          .addColumn('used_at', time)
          .execute();
        await db.schema.createIndex('refresh_tokens_family').on('refresh_tokens').column('family_id').execute();
        await db.schema.createIndex('refresh_tokens_citizen').on('refresh_tokens').column('citizen_id').execute();
        await db.schema.alterTable('access_tokens').addColumn('refresh_family_id', 'text').execute();
        await db.schema.alterTable('access_tokens').addColumn('grant_type', 'text', (c) => c.notNull().defaultTo('pre-authorized_code')).execute();
        await db.schema.createIndex('access_tokens_refresh_family').on('access_tokens').column('refresh_family_id').execute();
      },
    },
    '0005-verification-counts': {
      // Verification counts pushed by the city's terminals (issuer/statistics/): aggregate counts only, per terminal,
      // UTC day, service and outcome (`code` '' for the totals, else one rejection code). A report is a cumulative
      // snapshot per terminal and day: `terminal_report_days` keeps which report each day's counts came from, so a
      // re-sent report replaces them and an older one changes nothing. No presentation, nonce, pseudonym or time of day.
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('terminal_report_days')
          .addColumn('terminal_id', 'text', (c) => c.notNull())
          .addColumn('day', 'text', (c) => c.notNull())
          .addColumn('report_iat', time, (c) => c.notNull())
          .addColumn('total', 'integer', (c) => c.notNull())
          .addColumn('received_at', time, (c) => c.notNull())
          .addPrimaryKeyConstraint('terminal_report_days_pk', ['terminal_id', 'day'])
          .execute();
        await db.schema
          .createTable('verification_counts')
          .addColumn('terminal_id', 'text', (c) => c.notNull())
          .addColumn('day', 'text', (c) => c.notNull())
          .addColumn('service_id', 'text', (c) => c.notNull())
          .addColumn('outcome', 'text', (c) => c.notNull())
          .addColumn('code', 'text', (c) => c.notNull())
          .addColumn('count', 'integer', (c) => c.notNull())
          .addPrimaryKeyConstraint('verification_counts_pk', ['terminal_id', 'day', 'service_id', 'outcome', 'code'])
          .execute();
        await db.schema.createIndex('verification_counts_day').on('verification_counts').columns(['day', 'service_id']).execute();
        await db.schema.createIndex('issued_batches_issued_at').on('issued_batches').column('issued_at').execute();
      },
    },
  };
}
