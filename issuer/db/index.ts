/** The issuer's database: one schema on SQLite or PostgreSQL. Re-exports only. */
export type * from './database-schema.js';
export { issuerMigrations, type DatabaseEngine } from './migrations.js';
export { databaseLocation, migrateIssuerDatabase, openIssuerDatabase, type DatabaseLocation, type IssuerDb } from './open-database.js';
