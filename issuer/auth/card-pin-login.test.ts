import { describeEachEngine } from '../db/testing/test-databases.js';
import { createCardPinLogin } from './card-pin-login.js';
import { insertTestCitizen, TEST_SCRYPT_COST } from './testing/citizen-rows.js';

const CARD = 'URB-0001-0042';
const AUTH_FAILED = { code: 'AUTH_FAILED', message: 'the card number or PIN is wrong, or the card is locked' };

describeEachEngine('card + PIN sign-in', (database) => {
  function setup() {
    const { db } = database();
    return { db, cards: createCardPinLogin({ db, now: () => 1_790_000_000_000, pinCost: TEST_SCRYPT_COST }) };
  }

  test('the right card and PIN give the citizen id; the PIN is stored hashed', async () => {
    const { db, cards } = setup();
    const citizenId = await insertTestCitizen(db, { cardNumber: CARD });
    await cards.setPin({ citizenId, pin: '4821' });
    const row = await db.selectFrom('citizens').select(['pin_hash']).where('id', '=', citizenId).executeTakeFirstOrThrow();
    expect(row.pin_hash).toMatch(/^scrypt\$ln=10,r=8,p=1\$/);
    expect(await cards.login({ cardNumber: ` ${CARD} `, pin: '4821' })).toBe(citizenId);
  });

  test('unknown card, card without PIN and wrong PIN: the same AUTH_FAILED', async () => {
    const { db, cards } = setup();
    await insertTestCitizen(db, { cardNumber: 'URB-NO-PIN' });
    const citizenId = await insertTestCitizen(db, { cardNumber: CARD });
    await cards.setPin({ citizenId, pin: '4821' });
    await expect(cards.login({ cardNumber: 'URB-9999-9999', pin: '4821' })).rejects.toMatchObject(AUTH_FAILED);
    await expect(cards.login({ cardNumber: 'URB-NO-PIN', pin: '4821' })).rejects.toMatchObject(AUTH_FAILED);
    await expect(cards.login({ cardNumber: '', pin: '4821' })).rejects.toMatchObject(AUTH_FAILED);
    await expect(cards.login({ cardNumber: CARD, pin: '1111' })).rejects.toMatchObject(AUTH_FAILED);
  });

  test('locks after 5 wrong PINs: then even the right PIN is AUTH_FAILED, until staff unlock', async () => {
    const { db, cards } = setup();
    const citizenId = await insertTestCitizen(db, { cardNumber: CARD });
    await cards.setPin({ citizenId, pin: '4821' });
    for (let i = 0; i < 4; i += 1) await expect(cards.login({ cardNumber: CARD, pin: '0000' })).rejects.toMatchObject(AUTH_FAILED);
    expect(await cards.isLocked({ citizenId })).toBe(false);
    await expect(cards.login({ cardNumber: CARD, pin: '0000' })).rejects.toMatchObject(AUTH_FAILED);
    expect(await cards.isLocked({ citizenId })).toBe(true);
    await expect(cards.login({ cardNumber: CARD, pin: '4821' })).rejects.toMatchObject(AUTH_FAILED);
    const row = await db.selectFrom('citizens').select('pin_failed_attempts').where('id', '=', citizenId).executeTakeFirstOrThrow();
    expect(row.pin_failed_attempts).toBe(5);
    await cards.unlock({ citizenId });
    expect(await cards.isLocked({ citizenId })).toBe(false);
    expect(await cards.login({ cardNumber: CARD, pin: '4821' })).toBe(citizenId);
  });

  test('a success resets the failure count', async () => {
    const { db, cards } = setup();
    const citizenId = await insertTestCitizen(db, { cardNumber: CARD });
    await cards.setPin({ citizenId, pin: '4821' });
    for (let i = 0; i < 4; i += 1) await expect(cards.login({ cardNumber: CARD, pin: '0000' })).rejects.toMatchObject(AUTH_FAILED);
    expect(await cards.login({ cardNumber: CARD, pin: '4821' })).toBe(citizenId);
    const row = await db.selectFrom('citizens').select('pin_failed_attempts').where('id', '=', citizenId).executeTakeFirstOrThrow();
    expect(row.pin_failed_attempts).toBe(0);
    for (let i = 0; i < 4; i += 1) await expect(cards.login({ cardNumber: CARD, pin: '0000' })).rejects.toMatchObject(AUTH_FAILED);
    expect(await cards.isLocked({ citizenId })).toBe(false);
  });

  test('parallel guesses cannot get past the limit', async () => {
    const { db, cards } = setup();
    const citizenId = await insertTestCitizen(db, { cardNumber: CARD });
    await cards.setPin({ citizenId, pin: '4821' });
    const guesses = ['0000', '0001', '0002', '0003', '0004', '0005', '0006', '0007', '4821'];
    const results = await Promise.allSettled(guesses.map((pin) => cards.login({ cardNumber: CARD, pin })));
    const row = await db.selectFrom('citizens').select('pin_failed_attempts').where('id', '=', citizenId).executeTakeFirstOrThrow();
    const successes = results.filter((r) => r.status === 'fulfilled').length;
    // Only 5 guesses were ever checked: at most one of them can be the right PIN.
    expect(successes).toBeLessThanOrEqual(1);
    if (successes === 0) expect(row.pin_failed_attempts).toBe(5);
  });

  test('setting a new PIN clears the count; the old PIN no longer works', async () => {
    const { db, cards } = setup();
    const citizenId = await insertTestCitizen(db, { cardNumber: CARD });
    await cards.setPin({ citizenId, pin: '4821' });
    for (let i = 0; i < 5; i += 1) await expect(cards.login({ cardNumber: CARD, pin: '0000' })).rejects.toMatchObject(AUTH_FAILED);
    await cards.setPin({ citizenId, pin: '13572468' });
    expect(await cards.isLocked({ citizenId })).toBe(false);
    await expect(cards.login({ cardNumber: CARD, pin: '4821' })).rejects.toMatchObject(AUTH_FAILED);
    expect(await cards.login({ cardNumber: CARD, pin: '13572468' })).toBe(citizenId);
  });

  test('PIN shape and unknown citizens', async () => {
    const { db, cards } = setup();
    const citizenId = await insertTestCitizen(db, { cardNumber: CARD });
    for (const pin of ['123', '123456789', '12a4', ' 1234', '١٢٣٤', '']) {
      await expect(cards.setPin({ citizenId, pin })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    }
    await expect(cards.setPin({ citizenId: 'missing', pin: '1234' })).rejects.toMatchObject({ code: 'RESOURCE_NOT_FOUND' });
    await expect(cards.isLocked({ citizenId: 'missing' })).rejects.toMatchObject({ code: 'RESOURCE_NOT_FOUND' });
    await expect(cards.unlock({ citizenId: 'missing' })).rejects.toMatchObject({ code: 'RESOURCE_NOT_FOUND' });
    await expect(cards.login({ cardNumber: CARD, pin: 1234 as unknown as string })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });
});

test('createCardPinLogin refuses a bad maxFailedAttempts with CONFIG_INVALID', () => {
  expect(() => createCardPinLogin({ db: {} as never, maxFailedAttempts: 0 })).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }));
});
