import { runAction, type CliIo, type Subcommand } from '../../bin/subcommand.js';
import { UrbisError } from '../../core/errors/urbis-error.js';
import { createStaffAccounts } from '../auth/staff-accounts.js';
import { checkPasswordPolicy } from '../security/password-hash.js';
import { loadIssuerConfig, type IssuerConfig } from '../config/issuer-config.js';
import { createIssuer } from '../create-issuer.js';
import { openIssuerDatabase } from '../db/open-database.js';
import { parseCliOptions } from '../../bin/parse-options.js';

const USAGE = `Usage:
  urbis issuer serve
      Runs a city issuer (front office, back office, OID4VCI) until Ctrl-C.
      Configuration comes from environment variables (see issuer/config/issuer-config.ts):
      URBIS_CITY_ID, URBIS_PORT, URBIS_ISSUER_URL, URBIS_DATA_DIR, DATABASE_URL (PostgreSQL instead
      of the SQLite file), URBIS_MASTER_KEY, URBIS_CHAIN_RPC and friends for status publishing.
  urbis issuer migrate
      Creates or upgrades the database schema (SQLite file or DATABASE_URL) and exits.
  urbis issuer staff-add --username <name> --role clerk|service_manager|admin [--service <id>]
      Creates a staff account; the password is read from URBIS_STAFF_PASSWORD (never an argument).
  urbis issuer config
      Prints the effective configuration, without secrets.`;


/** The configuration as an operator may see it: no secret, no key. */
export function describeConfig(config: IssuerConfig): Record<string, unknown> {
  return {
    city: { id: config.cityId, name: config.cityName, municipality: config.municipality, referencePrefix: config.referencePrefix },
    issuerUrl: config.issuerUrl,
    did: config.did,
    listen: `${config.host}:${config.port}`,
    dataDir: config.dataDir,
    database: config.database.engine === 'sqlite' ? { engine: 'sqlite', path: config.database.path } : { engine: 'postgres', host: new URL(config.database.url).host },
    services: config.catalogue.map((s) => s.id),
    batchSize: config.batchSize,
    validityDays: config.validityDays,
    chain: config.chain === undefined ? 'none (status changes wait in the outbox)' : { rpc: new URL(config.chain.rpcUrl).origin, chainId: config.chain.chainId, statusRegistry: config.chain.statusRegistry, statusLists: config.chain.statusListIds },
  };
}

async function serve(io: CliIo): Promise<number> {
  const config = loadIssuerConfig();
  const issuer = await createIssuer({ config, log: (entry) => io.err(JSON.stringify({ at: new Date().toISOString(), ...entry })) });
  const { url } = await issuer.start();
  io.out(`issuer for ${config.cityName} listening on ${url} (${config.database.engine}); Ctrl-C stops`);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await issuer.stop();
  io.out('issuer stopped');
  return 0;
}

async function migrate(args: string[], io: CliIo): Promise<number> {
  parseCliOptions(args, {});
  const config = loadIssuerConfig();
  const database = await openIssuerDatabase(config.database);
  await database.close();
  io.out(`database ready (${config.database.engine})`);
  return 0;
}

async function staffAdd(args: string[], io: CliIo): Promise<number> {
  const options = parseCliOptions(args, { username: { type: 'string' }, role: { type: 'string' }, service: { type: 'string' } });
  const password = process.env['URBIS_STAFF_PASSWORD'] ?? '';
  if (options['username'] === undefined || options['role'] === undefined) throw new UrbisError('INVALID_ARGUMENT', '--username and --role are required');
  checkPasswordPolicy({ password });
  const config = loadIssuerConfig();
  const database = await openIssuerDatabase(config.database);
  try {
    const member = await createStaffAccounts({ db: database.db, passwordCost: { ln: config.passwordCostLn, r: 8, p: 1 } }).create({
      username: options['username'],
      password,
      role: options['role'] as 'clerk',
      ...(options['service'] === undefined ? {} : { serviceId: options['service'] }),
    });
    io.out(`staff account ${member.username} (${member.role}) created`);
  } finally {
    await database.close();
  }
  return 0;
}

/** `urbis issuer`: run a city issuer, migrate its database, add staff. */
export const issuerCommand: Subcommand = {
  name: 'issuer',
  summary: 'run a city issuer, migrate its database, add staff accounts',
  usage: USAGE,
  run: (args: string[], io: CliIo) =>
    runAction({
      command: 'issuer',
      usage: USAGE,
      actions: {
        serve: (rest, out) => {
          parseCliOptions(rest, {});
          return serve(out);
        },
        migrate,
        'staff-add': staffAdd,
        config: async (rest, out) => {
          parseCliOptions(rest, {});
          out.out(JSON.stringify(describeConfig(loadIssuerConfig()), null, 2));
          return 0;
        },
      },
      args,
      io,
    }),
};
