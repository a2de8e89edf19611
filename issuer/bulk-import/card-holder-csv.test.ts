import { UrbisError } from '../../core/errors/urbis-error.js';
import { DEFAULT_CATALOGUE } from '../catalogue/default-catalogue.js';
import { newCardNumber } from '../enrolment/application-reference.js';
import { CARD_HOLDER_COLUMNS, CARD_HOLDER_CSV_LIMITS, parseCardHolderCsv, type CardHolderColumn } from './card-holder-csv.js';

const TODAY = '2026-05-01';
const HEADER = CARD_HOLDER_COLUMNS.join(',');
const catalogue = DEFAULT_CATALOGUE;

type Cells = Record<CardHolderColumn, string>;

function holder(overrides: Partial<Cells> = {}): Cells {
  return {
    card_number: newCardNumber(),
    given_name: 'Ana',
    family_name: 'García Suárez',
    birthdate: '1950-03-04',
    email: 'Ana.Garcia@Example.es',
    phone: '',
    street_address: 'Calle Corrida 12',
    postal_code: '33201',
    locality: 'Gijón',
    country: 'ES',
    resident_since: '2001-06-15',
    services: 'pools:senior;library:standard',
    ...overrides,
  };
}

const quote = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
const line = (cells: Cells, columns: readonly CardHolderColumn[] = CARD_HOLDER_COLUMNS) => columns.map((c) => quote(cells[c])).join(',');
const file = (holders: Cells[], eol = '\n') => [HEADER, ...holders.map((h) => line(h))].join(eol) + eol;

/** A card number with a wrong Luhn check digit. */
function badLuhn(): string {
  const good = newCardNumber();
  return good.slice(0, 9) + String((Number(good[9]) + 1) % 10);
}

function parseOk(csv: string | Uint8Array, options: { maxRows?: number; maxBytes?: number } = {}) {
  return parseCardHolderCsv({ csv, catalogue, today: TODAY, ...options });
}

function thrown(fn: () => unknown): UrbisError {
  try {
    fn();
  } catch (error) {
    if (error instanceof UrbisError) return error;
    throw error;
  }
  throw new Error('expected an UrbisError');
}

describe('parseCardHolderCsv: valid files', () => {
  test('three rows: identity checked and normalized, services parsed, lines numbered from the header', () => {
    const a = holder();
    const b = holder({ given_name: "  María-José O'Neill ", email: '', phone: '+34 600 123 456', services: '' });
    const c = holder({ birthdate: '2005-09-30', resident_since: '2005-09-30', services: ' youth-pass : youth ; transport:youth ' });
    const { rows, rejected } = parseOk(file([a, b, c]));
    expect(rejected).toEqual([]);
    expect(rows).toEqual([
      {
        line: 2,
        cardNumber: a.card_number,
        identity: {
          given_name: 'Ana',
          family_name: 'García Suárez',
          birthdate: '1950-03-04',
          email: 'ana.garcia@example.es',
          address: { street_address: 'Calle Corrida 12', postal_code: '33201', locality: 'Gijón', country: 'ES' },
          resident_since: '2001-06-15',
        },
        services: [
          { service_id: 'pools', tier: 'senior' },
          { service_id: 'library', tier: 'standard' },
        ],
      },
      expect.objectContaining({ line: 3, cardNumber: b.card_number, services: [], identity: expect.objectContaining({ given_name: "María-José O'Neill", phone: '+34 600 123 456' }) }),
      expect.objectContaining({ line: 4, services: [{ service_id: 'youth-pass', tier: 'youth' }, { service_id: 'transport', tier: 'youth' }] }),
    ]);
    expect(rows[1]!.identity).not.toHaveProperty('email');
  });

  test('a header-only file has no rows and no rejections', () => {
    expect(parseOk(`${HEADER}\n`)).toEqual({ rows: [], rejected: [] });
    expect(parseOk(HEADER)).toEqual({ rows: [], rejected: [] });
  });

  test('a UTF-8 BOM is ignored, in text and in bytes', () => {
    const h = holder();
    const text = `\uFEFF${file([h])}`;
    expect(parseOk(text).rows.map((r) => r.cardNumber)).toEqual([h.card_number]);
    const bytes = new TextEncoder().encode(text);
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(parseOk(bytes).rows.map((r) => r.cardNumber)).toEqual([h.card_number]);
    expect(parseOk(new TextEncoder().encode(file([h]))).rows).toHaveLength(1);
  });

  test('quoted fields keep commas, doubled quotes and line breaks; later lines keep their file line numbers', () => {
    const a = holder({ street_address: 'Calle Mayor, 3, 2º B' });
    const b = holder({ street_address: 'Plaza "del Marqués"\nbajo' });
    const c = holder();
    for (const eol of ['\n', '\r\n']) {
      const { rows, rejected } = parseOk(file([a, b, c], eol));
      expect(rejected).toEqual([]);
      expect(rows.map((r) => [r.line, r.identity.address.street_address])).toEqual([
        [2, 'Calle Mayor, 3, 2º B'],
        [3, 'Plaza "del Marqués"\nbajo'],
        [5, 'Calle Corrida 12'],
      ]);
    }
  });

  test('empty lines are skipped but counted in line numbers', () => {
    const a = holder();
    const bad = holder({ email: 'nope' });
    const csv = `${HEADER}\n\n${line(a)}\n\n\n${line(bad)}\n\n`;
    const { rows, rejected } = parseOk(csv);
    expect(rows.map((r) => r.line)).toEqual([3]);
    expect(rejected).toEqual([{ line: 6, fields: ['email'], code: 'BODY_INVALID' }]);
  });

  test('columns may come in any order, header names trimmed', () => {
    const columns = [...CARD_HOLDER_COLUMNS].reverse();
    const h = holder();
    const csv = `${columns.map((c) => ` ${c} `).join(',')}\n${line(h, columns)}\n`;
    const { rows } = parseOk(csv);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ cardNumber: h.card_number, identity: { given_name: 'Ana', address: { locality: 'Gijón' } } });
  });
});

describe('parseCardHolderCsv: rejected rows name fields and a code, never values', () => {
  const cases: [string, Partial<Cells>, string[], string][] = [
    ['card number with a wrong check digit', { card_number: badLuhn() }, ['card_number'], 'BODY_INVALID'],
    ['card number with letters', { card_number: '12345ABCDE' }, ['card_number'], 'BODY_INVALID'],
    ['card number starting with 0', { card_number: '0123456789' }, ['card_number'], 'BODY_INVALID'],
    ['empty card number', { card_number: '' }, ['card_number'], 'BODY_INVALID'],
    ['given name with digits', { given_name: 'Ana2' }, ['given_name'], 'BODY_INVALID'],
    ['empty family name', { family_name: '' }, ['family_name'], 'BODY_INVALID'],
    ['birthdate not a calendar day', { birthdate: '1950-02-30' }, ['birthdate'], 'BODY_INVALID'],
    ['birthdate in another format', { birthdate: '04/03/1950' }, ['birthdate'], 'BODY_INVALID'],
    ['birthdate in the future', { birthdate: '2030-01-01' }, ['birthdate'], 'BODY_INVALID'],
    ['birthdate over 130 years ago', { birthdate: '1890-01-01' }, ['birthdate'], 'BODY_INVALID'],
    ['resident since in the future', { resident_since: '2027-01-01' }, ['resident_since'], 'BODY_INVALID'],
    ['resident since before birth', { resident_since: '1949-12-31' }, ['resident_since'], 'BODY_INVALID'],
    ['email not an address', { email: 'ana-at-example' }, ['email'], 'BODY_INVALID'],
    ['phone with letters', { phone: 'call me maybe' }, ['phone'], 'BODY_INVALID'],
    ['neither email nor phone', { email: '', phone: ' ' }, ['email', 'phone'], 'BODY_INVALID'],
    ['empty street address', { street_address: '' }, ['street_address'], 'BODY_INVALID'],
    ['postal code with symbols', { postal_code: '33#01' }, ['postal_code'], 'BODY_INVALID'],
    ['blank locality', { locality: '   ' }, ['locality'], 'BODY_INVALID'],
    ['country in lower case', { country: 'es' }, ['country'], 'BODY_INVALID'],
    ['country as alpha-3', { country: 'ESP' }, ['country'], 'BODY_INVALID'],
    ['service not in the catalogue', { services: 'swimming:standard' }, ['services'], 'SERVICE_UNKNOWN'],
    ['tier the service does not offer', { services: 'library:senior' }, ['services'], 'BODY_INVALID'],
    ['tier not in the closed list', { services: 'pools:vip' }, ['services'], 'BODY_INVALID'],
    ['service without a tier', { services: 'pools' }, ['services'], 'BODY_INVALID'],
    ['pair with two colons', { services: 'pools:senior:extra' }, ['services'], 'BODY_INVALID'],
    ['service chosen twice', { services: 'pools:senior;pools:standard' }, ['services'], 'BODY_INVALID'],
    ['service id in capitals', { services: 'Pools:senior' }, ['services'], 'BODY_INVALID'],
    ['outside the service age limits', { services: 'youth-pass:youth' }, ['services'], 'BODY_INVALID'],
    ['a bad birthdate does not also fail age-limited services', { birthdate: '1950-13-01', services: 'youth-pass:youth' }, ['birthdate'], 'BODY_INVALID'],
    ['several fields: all named, the code of the first', { given_name: '', email: 'x', services: 'swimming:standard' }, ['given_name', 'email', 'services'], 'BODY_INVALID'],
    ['card number and service: card number first', { card_number: badLuhn(), services: 'swimming:standard' }, ['card_number', 'services'], 'BODY_INVALID'],
  ];

  test.each(cases)('%s', (_name, overrides, fields, code) => {
    const bad = holder(overrides);
    const { rows, rejected } = parseOk(file([holder(), bad, holder()]));
    expect(rows.map((r) => r.line)).toEqual([2, 4]);
    expect(rejected).toEqual([{ line: 3, fields, code }]);
    const report = JSON.stringify(rejected);
    for (const value of Object.values(bad)) if (value.trim().length > 2) expect(report).not.toContain(value.trim());
  });

  test('the code is the first field\'s even when it is not BODY_INVALID', () => {
    const { rejected } = parseOk(file([holder({ services: 'swimming:standard' })]));
    expect(rejected).toEqual([{ line: 2, fields: ['services'], code: 'SERVICE_UNKNOWN' }]);
  });

  test('an inactive service is unknown', () => {
    const closed = catalogue.map((s) => (s.id === 'pools' ? { ...s, active: false } : s));
    const { rejected } = parseCardHolderCsv({ csv: file([holder()]), catalogue: closed, today: TODAY });
    expect(rejected).toEqual([{ line: 2, fields: ['services'], code: 'SERVICE_UNKNOWN' }]);
  });

  test('a row with too few or too many fields is rejected as a whole', () => {
    const h = holder();
    const csv = `${HEADER}\n${line(h)},extra\n${line(holder()).split(',').slice(0, 5).join(',')}\n${line(holder())}\n`;
    const { rows, rejected } = parseOk(csv);
    expect(rows.map((r) => r.line)).toEqual([4]);
    expect(rejected).toEqual([
      { line: 2, fields: ['row'], code: 'BODY_INVALID' },
      { line: 3, fields: ['row'], code: 'BODY_INVALID' },
    ]);
  });

  test('a card number seen on an earlier line is CARD_NUMBER_TAKEN, every repeat', () => {
    const first = holder();
    const again = holder({ card_number: ` ${first.card_number} `, given_name: 'Luis' });
    const third = holder({ card_number: first.card_number });
    const { rows, rejected } = parseOk(file([first, holder(), again, third]));
    expect(rows.map((r) => [r.line, r.cardNumber === first.card_number])).toEqual([
      [2, true],
      [3, false],
    ]);
    expect(rejected).toEqual([
      { line: 4, fields: ['card_number'], code: 'CARD_NUMBER_TAKEN' },
      { line: 5, fields: ['card_number'], code: 'CARD_NUMBER_TAKEN' },
    ]);
  });

  test('a row rejected for other fields still claims its card number', () => {
    const first = holder({ email: 'broken' });
    const second = holder({ card_number: first.card_number });
    const { rows, rejected } = parseOk(file([first, second]));
    expect(rows).toEqual([]);
    expect(rejected).toEqual([
      { line: 2, fields: ['email'], code: 'BODY_INVALID' },
      { line: 3, fields: ['card_number'], code: 'CARD_NUMBER_TAKEN' },
    ]);
  });
});

describe('parseCardHolderCsv: structural problems throw', () => {
  test.each([
    ['empty text', ''],
    ['a BOM alone', '\uFEFF'],
    ['empty lines only', '\n\r\n\n'],
  ])('an empty file (%s) is BODY_INVALID', (_name, csv) => {
    expect(thrown(() => parseOk(csv)).code).toBe('BODY_INVALID');
  });

  test('an empty byte array is BODY_INVALID', () => {
    expect(thrown(() => parseOk(new Uint8Array(0))).code).toBe('BODY_INVALID');
  });

  test('a missing header column is BODY_INVALID naming the column', () => {
    const columns = CARD_HOLDER_COLUMNS.filter((c) => c !== 'services');
    const error = thrown(() => parseOk(`${columns.join(',')}\n${line(holder(), columns)}\n`));
    expect(error.code).toBe('BODY_INVALID');
    expect(error.message).toContain('missing column(s) services');
  });

  test('an unknown or repeated header column is BODY_INVALID', () => {
    expect(thrown(() => parseOk(`${HEADER},notes\n`)).code).toBe('BODY_INVALID');
    expect(thrown(() => parseOk(`${HEADER},email\n`)).code).toBe('BODY_INVALID');
    expect(thrown(() => parseOk(`${HEADER.replace('given_name', 'Given_Name')}\n`)).code).toBe('BODY_INVALID');
  });

  test('a file without its header row is BODY_INVALID, and the message quotes none of the data', () => {
    const h = holder();
    const error = thrown(() => parseOk(`${line(h)}\n${line(holder())}\n`));
    expect(error.code).toBe('BODY_INVALID');
    for (const value of [h.card_number, 'Ana', 'García', 'Gijón', 'example.es']) expect(error.message).not.toContain(value);
  });

  test('malformed CSV is BODY_INVALID without quoting the text', () => {
    const unclosed = thrown(() => parseOk(`${HEADER}\n${line(holder())}\n"Ana,García\n`));
    expect(unclosed.code).toBe('BODY_INVALID');
    const badClose = thrown(() => parseOk(`${HEADER}\n${line(holder({ given_name: 'x' })).replace(',x,', ',"Secreto"Nombre,')}\n`));
    expect(badClose.code).toBe('BODY_INVALID');
    expect(badClose.message).not.toMatch(/Secreto|Nombre/);
  });

  test('bytes that are not UTF-8, NUL bytes and JSON are BODY_INVALID', () => {
    const latin1 = Uint8Array.from([...new TextEncoder().encode(`${HEADER}\n`), 0x47, 0x69, 0x6a, 0xf3, 0x6e]);
    expect(thrown(() => parseOk(latin1)).code).toBe('BODY_INVALID');
    expect(thrown(() => parseOk(`${HEADER}\n\u0000\n`)).code).toBe('BODY_INVALID');
    expect(thrown(() => parseOk(JSON.stringify([holder()]))).code).toBe('BODY_INVALID');
  });

  test('maxBytes counts UTF-8 bytes, for text and bytes: above it INPUT_TOO_LARGE', () => {
    const csv = file([holder()]);
    const size = Buffer.byteLength(csv);
    expect(size).toBeGreaterThan(csv.length); // "García", "Gijón"
    expect(parseOk(csv, { maxBytes: size }).rows).toHaveLength(1);
    expect(thrown(() => parseOk(csv, { maxBytes: csv.length })).code).toBe('INPUT_TOO_LARGE');
    expect(thrown(() => parseOk(new TextEncoder().encode(csv), { maxBytes: size - 1 })).code).toBe('INPUT_TOO_LARGE');
  });

  test('maxRows counts data rows (not the header, not empty lines): above it INPUT_TOO_LARGE', () => {
    const csv = file([holder(), holder(), holder()]) + '\n\n';
    expect(parseOk(csv, { maxRows: 3 }).rows).toHaveLength(3);
    expect(thrown(() => parseOk(csv, { maxRows: 2 })).code).toBe('INPUT_TOO_LARGE');
  });

  test('default limits: 50 000 rows and 20 MiB', () => {
    expect(CARD_HOLDER_CSV_LIMITS).toEqual({ maxRows: 50_000, maxBytes: 20 * 1024 * 1024 });
    const rows = `${HEADER}\n${'1\n'.repeat(50_001)}`;
    expect(thrown(() => parseOk(rows)).code).toBe('INPUT_TOO_LARGE');
    expect(parseOk(`${HEADER}\n${'1\n'.repeat(50_000)}`).rejected).toHaveLength(50_000);
    const big = `${HEADER}\n${'x'.repeat(20 * 1024 * 1024)}`;
    expect(thrown(() => parseOk(big)).code).toBe('INPUT_TOO_LARGE');
  });

  test('today must be a YYYY-MM-DD day, limits positive integers', () => {
    expect(thrown(() => parseCardHolderCsv({ csv: file([holder()]), catalogue, today: '1 May 2026' })).code).toBe('INVALID_ARGUMENT');
    expect(thrown(() => parseOk(file([holder()]), { maxRows: 0 })).code).toBe('INVALID_ARGUMENT');
    expect(thrown(() => parseOk(file([holder()]), { maxBytes: Infinity })).code).toBe('INVALID_ARGUMENT');
  });
});
