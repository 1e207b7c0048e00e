import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/core/errors.js';
import { parseDateInput, toIso } from '../../src/core/time.js';

describe('toIso', () => {
  it('prints UTC with milliseconds', () => {
    expect(toIso(Date.UTC(2024, 2, 1, 12, 34, 56, 789))).toBe('2024-03-01T12:34:56.789Z');
  });
});

describe('parseDateInput', () => {
  const now = Date.UTC(2024, 5, 15, 12, 0, 0);

  it('reads relative ages back from now', () => {
    expect(parseDateInput('7d', '--since', now)).toBe(now - 7 * 86_400_000);
    expect(parseDateInput('12h', '--since', now)).toBe(now - 12 * 3_600_000);
    expect(parseDateInput('30m', '--since', now)).toBe(now - 30 * 60_000);
  });

  it('reads a bare date as local midnight', () => {
    expect(parseDateInput('2024-03-01', '--since', now)).toBe(new Date(2024, 2, 1).getTime());
  });

  it('reads ISO date-times with a zone exactly', () => {
    expect(parseDateInput('2024-03-01T12:00:00Z', '--until', now)).toBe(Date.UTC(2024, 2, 1, 12));
    expect(parseDateInput('2024-03-01T12:00:00.250+02:00', '--until', now)).toBe(Date.UTC(2024, 2, 1, 10, 0, 0, 250));
  });

  it('reads a leap day and the last minute of a day', () => {
    expect(parseDateInput('2024-02-29T23:59Z', '--until', now)).toBe(Date.UTC(2024, 1, 29, 23, 59));
  });

  it('refuses an age further back than a date can be, as a usage error', () => {
    expect(parseDateInput('200000y', '--since', now)).toBe(now - 200_000 * 365 * 86_400_000);
    expect(() => parseDateInput('300000y', '--since', now)).toThrow(UsageError);
    expect(() => parseDateInput('9999999999999y', '--until', now)).toThrow(
      '--until: "9999999999999y" is further back than any date can be',
    );
  });

  it('reads epoch milliseconds', () => {
    expect(parseDateInput('1718368145728', '--since', now)).toBe(1718368145728);
  });

  it.each([
    'yesterday',
    '2024-02-30',
    '7x',
    '',
    '2024-13-01T00:00',
    '2024-02-30T00:00',
    '2024-02-31T12:00Z',
    '2023-02-29 10:00',
    '2024-04-31T08:00',
    '2024-03-01T24:00',
  ])('rejects %j with a usage error naming the option', (input) => {
    expect(() => parseDateInput(input, '--since', now)).toThrow(UsageError);
    expect(() => parseDateInput(input, '--since', now)).toThrow(/--since/);
  });
});
