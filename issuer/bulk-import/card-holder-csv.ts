import { isUtf8 } from 'node:buffer';
import { parse } from 'csv-parse/sync';
import { UrbisError, type UrbisErrorCode } from '../../core/errors/urbis-error.js';
import type { ServiceDefinition } from '../catalogue/service-definition.js';
import { isCardNumber } from '../enrolment/application-reference.js';
import { checkIdentityInput, checkServiceChoices, type IdentityInput, type ServiceChoiceInput } from '../enrolment/enrolment-input.js';
import { checkChoicesAgainstCatalogue } from '../enrolment/enrolment-service.js';

/**
 * The columns of a card-holder file, in their canonical order. The header
 * row must name each exactly once (any order); no other column is allowed.
 */
export const CARD_HOLDER_COLUMNS = [
  'card_number',
  'given_name',
  'family_name',
  'birthdate',
  'email',
  'phone',
  'street_address',
  'postal_code',
  'locality',
  'country',
  'resident_since',
  'services',
] as const;

/** One of {@link CARD_HOLDER_COLUMNS}. */
export type CardHolderColumn = (typeof CARD_HOLDER_COLUMNS)[number];

/** The pseudo-field a rejection names when the row as a whole is at fault (wrong number of fields). */
export const WHOLE_ROW = 'row';

/** Default limits of one file. */
export const CARD_HOLDER_CSV_LIMITS = Object.freeze({ maxRows: 50_000, maxBytes: 20 * 1024 * 1024 });

/** A row that passed every check: ready to import. */
export interface ValidRow {
  /** 1-based line of the file where the record starts (the header is line 1). */
  line: number;
  cardNumber: string;
  identity: IdentityInput;
  services: ServiceChoiceInput[];
}

/**
 * A refused row. Names the fields at fault and an error code, never their
 * values: a rejection report carries no personal data.
 */
export interface RejectedRow {
  /** 1-based line of the file where the record starts (the header is line 1). */
  line: number;
  /** Offending column names, in {@link CARD_HOLDER_COLUMNS} order, or `['row']` for a wrong number of fields. */
  fields: string[];
  /** The code of the first offending field (in column order). */
  code: UrbisErrorCode;
}

/** What {@link parseCardHolderCsv} found. */
export interface ParsedCardHolders {
  rows: ValidRow[];
  rejected: RejectedRow[];
}

const UTF8_BOM = [0xef, 0xbb, 0xbf] as const;
const LF = 0x0a;
const CR = 0x0d;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

type Cells = Record<CardHolderColumn, string>;

function classify(check: () => unknown): UrbisErrorCode | undefined {
  try {
    check();
    return undefined;
  } catch (error) {
    if (error instanceof UrbisError) return error.code;
    throw error;
  }
}

/** The file as UTF-8 bytes without BOM, within `maxBytes`. */
function toBytes(csv: string | Uint8Array, maxBytes: number): Buffer {
  if (typeof csv === 'string') {
    if (Buffer.byteLength(csv, 'utf8') > maxBytes) throw new UrbisError('INPUT_TOO_LARGE', `the file is larger than ${maxBytes} bytes`);
    return Buffer.from(csv.startsWith('\uFEFF') ? csv.slice(1) : csv, 'utf8');
  }
  if (!(csv instanceof Uint8Array)) throw new UrbisError('BODY_INVALID', 'the file must be text or bytes');
  if (csv.byteLength > maxBytes) throw new UrbisError('INPUT_TOO_LARGE', `the file is larger than ${maxBytes} bytes`);
  const bom = csv.byteLength >= 3 && UTF8_BOM.every((b, i) => csv[i] === b);
  const bytes = Buffer.from(csv.buffer, csv.byteOffset + (bom ? 3 : 0), csv.byteLength - (bom ? 3 : 0));
  if (!isUtf8(bytes)) throw new UrbisError('BODY_INVALID', 'the file is not UTF-8 text');
  return bytes;
}

/**
 * Tracks 1-based line numbers over the bytes, so each record gets the line it
 * starts on. (csv-parse's own line counter miscounts CRLF inside quoted
 * fields; its byte offsets are exact.) A line ends at LF, CRLF or a lone CR.
 */
function lineTracker(bytes: Buffer) {
  let pos = 0;
  let line = 1;
  const step = () => {
    const b = bytes[pos];
    if (b === LF || (b === CR && bytes[pos + 1] !== LF)) line += 1;
    pos += 1;
  };
  return {
    /** The line of the record that follows byte offset `end` of the previous one (skipped empty lines passed over). */
    startAfter(end: number): number {
      while (pos < end) step();
      while (pos < bytes.length && (bytes[pos] === LF || bytes[pos] === CR)) step();
      return line;
    },
  };
}

/** The header's column positions. @throws UrbisError `BODY_INVALID` naming only the expected columns, never the file's text. */
function columnPositions(header: string[]): Map<CardHolderColumn, number> {
  const positions = new Map<CardHolderColumn, number>();
  let unknown = 0;
  let repeated = 0;
  header.forEach((raw, index) => {
    const name = raw.trim();
    if (!(CARD_HOLDER_COLUMNS as readonly string[]).includes(name)) unknown += 1;
    else if (positions.has(name as CardHolderColumn)) repeated += 1;
    else positions.set(name as CardHolderColumn, index);
  });
  const missing = CARD_HOLDER_COLUMNS.filter((c) => !positions.has(c));
  if (missing.length > 0 || unknown > 0 || repeated > 0) {
    const problems = [
      ...(missing.length > 0 ? [`missing column(s) ${missing.join(', ')}`] : []),
      ...(unknown > 0 ? [`${unknown} unknown column(s)`] : []),
      ...(repeated > 0 ? [`${repeated} repeated column(s)`] : []),
    ];
    throw new UrbisError('BODY_INVALID', `the header row must name exactly the columns ${CARD_HOLDER_COLUMNS.join(',')}: ${problems.join('; ')}`);
  }
  return positions;
}

/** `serviceId:tier;serviceId:tier` → choice objects for `checkServiceChoices` (which does the real checking). */
function serviceChoicesOf(cell: string): unknown {
  const out: unknown[] = [];
  for (const part of cell.split(';')) {
    const pair = part.trim();
    if (pair.length === 0) continue;
    const pieces = pair.split(':');
    if (pieces.length !== 2) return null; // not a list of pairs: checkServiceChoices refuses it
    out.push({ service_id: pieces[0]!.trim(), tier: pieces[1]!.trim() });
  }
  return out;
}

const blankToUndefined = (cell: string): string | undefined => (cell.trim().length === 0 ? undefined : cell);

/** The object `checkIdentityInput` expects, from a row's cells. */
function identityObject(c: Cells): Record<string, unknown> {
  return {
    given_name: c.given_name,
    family_name: c.family_name,
    birthdate: c.birthdate,
    email: blankToUndefined(c.email),
    phone: blankToUndefined(c.phone),
    address: { street_address: c.street_address, postal_code: c.postal_code, locality: c.locality, country: c.country },
    resident_since: c.resident_since,
  };
}

/**
 * Field-by-field identity checks through `checkIdentityInput` itself: each
 * field is put into a known-valid template, so a failure can only be that
 * field's. Returns the codes of the fields at fault.
 */
function identityProblems(c: Cells, today: string): { problems: Map<CardHolderColumn, UrbisErrorCode>; birthdateValid: boolean } {
  const year = Number(today.slice(0, 4));
  const valid = {
    given_name: 'Name',
    family_name: 'Name',
    birthdate: `${year - 30}-01-01`,
    email: 'holder@example.org' as string | undefined,
    phone: undefined as string | undefined,
    address: { street_address: 'Main Street 1', postal_code: '00000', locality: 'Town', country: 'ES' },
    resident_since: today,
  };
  const problems = new Map<CardHolderColumn, UrbisErrorCode>();
  const check = (field: CardHolderColumn, value: Record<string, unknown>) => {
    const code = classify(() => checkIdentityInput(value, { today }));
    if (code !== undefined) problems.set(field, code);
  };
  check('given_name', { ...valid, given_name: c.given_name });
  check('family_name', { ...valid, family_name: c.family_name });
  check('birthdate', { ...valid, birthdate: c.birthdate });
  const birthdateValid = !problems.has('birthdate');
  // With a bad birthdate, resident_since is judged against the oldest birthdate allowed (130 years ago).
  check('resident_since', { ...valid, birthdate: birthdateValid ? c.birthdate : `${String(year - 130).padStart(4, '0')}${today.slice(4)}`, resident_since: c.resident_since });
  for (const part of ['street_address', 'postal_code', 'locality', 'country'] as const) check(part, { ...valid, address: { ...valid.address, [part]: c[part] } });
  const email = blankToUndefined(c.email);
  const phone = blankToUndefined(c.phone);
  if (email !== undefined) check('email', { ...valid, email });
  if (phone !== undefined) check('phone', { ...valid, email: undefined, phone });
  if (email === undefined && phone === undefined) {
    // Neither way to reach the holder: both columns are at fault.
    const code = classify(() => checkIdentityInput({ ...valid, email: undefined, phone: undefined }, { today })) ?? 'BODY_INVALID';
    problems.set('email', code);
    problems.set('phone', code);
  }
  return { problems, birthdateValid };
}

/**
 * Parses and checks a file of existing card holders (migration from the
 * plastic card): UTF-8 (optional BOM), comma separated, RFC 4180 quoting, a
 * header row naming {@link CARD_HOLDER_COLUMNS}. `services` holds
 * `serviceId:tier` pairs separated by `;` (may be empty); `email` and `phone`
 * may be empty but not both.
 *
 * Each row goes through the enrolment checks (`checkIdentityInput`,
 * `checkServiceChoices`, `checkChoicesAgainstCatalogue`) and `isCardNumber`.
 * A card number seen on an earlier line (valid row or not) is refused as
 * `CARD_NUMBER_TAKEN`. Rejections name fields and codes, never values.
 * Empty lines are skipped.
 *
 * @throws UrbisError `INPUT_TOO_LARGE` above `maxBytes` or `maxRows` data rows;
 *   `BODY_INVALID` for an empty file, text that is not UTF-8 or not CSV, or a
 *   header with a missing, unknown or repeated column. Messages carry no
 *   cell values. `INVALID_ARGUMENT` for a `today` that is not `YYYY-MM-DD` or
 *   limits that are not positive integers.
 */
export function parseCardHolderCsv({
  csv,
  catalogue,
  today,
  maxRows = CARD_HOLDER_CSV_LIMITS.maxRows,
  maxBytes = CARD_HOLDER_CSV_LIMITS.maxBytes,
}: {
  csv: string | Uint8Array;
  catalogue: readonly ServiceDefinition[];
  /** The UTC day the checks are made on, `YYYY-MM-DD`. */
  today: string;
  maxRows?: number;
  maxBytes?: number;
}): ParsedCardHolders {
  if (!DAY.test(today)) throw new UrbisError('INVALID_ARGUMENT', 'today is a YYYY-MM-DD day');
  if (!Number.isSafeInteger(maxRows) || maxRows < 1 || !Number.isSafeInteger(maxBytes) || maxBytes < 1) throw new UrbisError('INVALID_ARGUMENT', 'maxRows and maxBytes are positive integers');
  const bytes = toBytes(csv, maxBytes);
  if (bytes.includes(0)) throw new UrbisError('BODY_INVALID', 'the file is not text (it holds NUL bytes)');

  let records: { record: string[]; info: { bytes: number } }[];
  try {
    records = parse(bytes, {
      encoding: 'utf8',
      delimiter: ',',
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
      // header + maxRows data rows + 1, to tell "too many" without parsing the rest
      to: maxRows + 2,
    }) as unknown as { record: string[]; info: { bytes: number } }[];
  } catch (error) {
    // csv-parse messages quote the file's text: keep only its code.
    const code = typeof (error as { code?: unknown }).code === 'string' ? (error as { code: string }).code : 'CSV_ERROR';
    throw new UrbisError('BODY_INVALID', `the file is not valid CSV (${code})`);
  }
  if (records.length === 0) throw new UrbisError('BODY_INVALID', 'the file is empty: a header row is required');
  if (records.length - 1 > maxRows) throw new UrbisError('INPUT_TOO_LARGE', `the file has more than ${maxRows} rows`);

  const positions = columnPositions(records[0]!.record);
  const lines = lineTracker(bytes);
  const noAgeLimits = catalogue.map(({ minAge: _min, maxAge: _max, ...service }) => service);
  const seenCards = new Set<string>();
  const rows: ValidRow[] = [];
  const rejected: RejectedRow[] = [];

  for (let i = 1; i < records.length; i += 1) {
    const { record } = records[i]!;
    const line = lines.startAfter(records[i - 1]!.info.bytes);
    if (record.length !== CARD_HOLDER_COLUMNS.length) {
      rejected.push({ line, fields: [WHOLE_ROW], code: 'BODY_INVALID' });
      continue;
    }
    const cells = Object.fromEntries(CARD_HOLDER_COLUMNS.map((c) => [c, record[positions.get(c)!]!])) as Cells;

    const problems = new Map<CardHolderColumn, UrbisErrorCode>();
    const cardNumber = cells.card_number.trim();
    if (!isCardNumber(cardNumber)) problems.set('card_number', 'BODY_INVALID');
    else if (seenCards.has(cardNumber)) problems.set('card_number', 'CARD_NUMBER_TAKEN');
    else seenCards.add(cardNumber);

    const identity = identityProblems(cells, today);
    for (const [field, code] of identity.problems) problems.set(field, code);

    let services: ServiceChoiceInput[] = [];
    const servicesCode = classify(() => {
      services = checkServiceChoices(serviceChoicesOf(cells.services));
      checkChoicesAgainstCatalogue(
        identity.birthdateValid
          ? { choices: services, catalogue, birthdate: cells.birthdate.trim(), today }
          : { choices: services, catalogue: noAgeLimits, birthdate: today, today },
      );
    });
    if (servicesCode !== undefined) problems.set('services', servicesCode);

    if (problems.size === 0) {
      // Every field passed on its own; the whole check normalizes (trims, lower-cases the email).
      const whole = classify(() => {
        rows.push({ line, cardNumber, identity: checkIdentityInput(identityObject(cells), { today }), services });
      });
      if (whole !== undefined) rejected.push({ line, fields: CARD_HOLDER_COLUMNS.filter((c) => c !== 'card_number' && c !== 'services'), code: whole });
      continue;
    }
    const fields = CARD_HOLDER_COLUMNS.filter((c) => problems.has(c));
    rejected.push({ line, fields, code: problems.get(fields[0]!)! });
  }
  return { rows, rejected };
}
