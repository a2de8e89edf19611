import { statisticsWindow, utcDay } from './statistics-window.js';

const NOW = Date.UTC(2026, 8, 21, 23, 59, 59);

describe('statisticsWindow: whole UTC days up to today', () => {
  test('default 30 days, both ends included', () => {
    expect(statisticsWindow({ now: NOW })).toEqual({ from: '2026-08-23', to: '2026-09-21', days: 30, fromMs: Date.UTC(2026, 7, 23), endMs: Date.UTC(2026, 8, 22) });
    expect(statisticsWindow({ days: '', now: NOW }).days).toBe(30);
  });

  test('1 and 366 days are the bounds', () => {
    expect(statisticsWindow({ days: '1', now: NOW })).toMatchObject({ from: '2026-09-21', to: '2026-09-21', days: 1 });
    expect(statisticsWindow({ days: '366', now: NOW })).toMatchObject({ from: '2025-09-21', to: '2026-09-21', days: 366 });
    expect(statisticsWindow({ days: 7, now: NOW })).toMatchObject({ from: '2026-09-15', days: 7 });
  });

  test.each(['0', '367', '-1', '1.5', 'abc', '1e2', ' 7', ['7', '8']])('days=%p is INVALID_ARGUMENT', (days) => {
    expect(() => statisticsWindow({ days, now: NOW })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });

  test('utcDay is the UTC calendar day', () => {
    expect(utcDay(Date.UTC(2026, 0, 1, 0, 0, 0))).toBe('2026-01-01');
    expect(utcDay(Date.UTC(2025, 11, 31, 23, 59, 59, 999))).toBe('2025-12-31');
  });
});
