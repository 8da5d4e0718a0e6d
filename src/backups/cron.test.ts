// Cron schedules: fields, ranges, steps, names, the day-of-month/day-of-week rule, slot search.
import { describe, expect, it } from 'vitest';
import { nextSlot, parseCron, previousSlot } from './cron.js';

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

describe('cron schedules', () => {
  it('expands lists, ranges, steps and names', () => {
    const c = parseCron('*/15 1-3,22 * jan-mar mon-fri');
    expect([...c.minutes]).toEqual([0, 15, 30, 45]);
    expect([...c.hours]).toEqual([1, 2, 3, 22]);
    expect([...c.months]).toEqual([1, 2, 3]);
    expect([...c.weekdays]).toEqual([1, 2, 3, 4, 5]);
    expect([...parseCron('5/20 * * * *').minutes]).toEqual([5, 25, 45]);
  });

  it('treats 7 as Sunday and expands macros', () => {
    expect([...parseCron('0 0 * * 7').weekdays]).toEqual([0]);
    expect(parseCron('@daily').text).toBe('@daily');
    expect(iso(previousSlot(parseCron('@weekly'), at('2026-11-27T12:00:00Z')))).toBe(
      '2026-11-22T00:00:00.000Z',
    );
  });

  it.each([
    ['* * * *', /five fields/],
    ['60 * * * *', /minute: "60"/],
    ['0 24 * * *', /hour/],
    ['0 0 0 * *', /day of month/],
    ['0 0 * 13 *', /month/],
    ['0 0 * * 8', /day of week/],
    ['5-1 * * * *', /backwards/],
    ['*/0 * * * *', /bad step/],
    ['x * * * *', /minute/],
  ])('refuses "%s"', (text, message) => {
    expect(() => parseCron(text)).toThrow(message);
  });

  it('finds the latest slot at or before a time, and the next one after', () => {
    const c = parseCron('17 3 * * *');
    expect(iso(previousSlot(c, at('2026-11-27T03:17:00Z')))).toBe('2026-11-27T03:17:00.000Z');
    expect(iso(previousSlot(c, at('2026-11-27T03:16:59Z')))).toBe('2026-11-26T03:17:00.000Z');
    expect(iso(nextSlot(c, at('2026-11-27T03:17:00Z')))).toBe('2026-11-28T03:17:00.000Z');
  });

  it('fires on either day field when both are restricted', () => {
    // The 1st of the month or any Friday: 2026-11-27 is a Friday, 2026-12-01 a Tuesday.
    const c = parseCron('0 12 1 * fri');
    expect(iso(nextSlot(c, at('2026-11-26T00:00:00Z')))).toBe('2026-11-27T12:00:00.000Z');
    expect(iso(nextSlot(c, at('2026-11-28T00:00:00Z')))).toBe('2026-12-01T12:00:00.000Z');
    expect(iso(nextSlot(c, at('2026-12-02T00:00:00Z')))).toBe('2026-12-04T12:00:00.000Z');
  });

  it('handles leap days and schedules that never fire', () => {
    expect(iso(nextSlot(parseCron('0 0 29 2 *'), at('2026-03-01T00:00:00Z')))).toBe(
      '2028-02-29T00:00:00.000Z',
    );
    expect(nextSlot(parseCron('0 0 30 2 *'), at('2026-01-01T00:00:00Z'))).toBeNull();
  });
});
