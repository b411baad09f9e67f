import { describe, expect, it } from 'vitest';
import { ageOn, civilFromDay, dayFromCivil, formatDay } from '../src/dates/days.js';
import { deadline, parseDuration } from '../src/dates/duration.js';
import { dateParser, formatsFitting } from '../src/dates/parse.js';
import { d } from './helpers.js';

const due = (start: string, target = '7.5m') => formatDay(deadline(d(start), parseDuration(target)));

describe('day numbers', () => {
  it('round-trip every day from 1900 to 2100', () => {
    // One expect for the 73,000 days, not one each: the same check, a fraction of the time.
    const wrong: number[] = [];
    for (let day = dayFromCivil(1900, 1, 1); day <= dayFromCivil(2100, 12, 31); day++) {
      const [y, m, dd] = civilFromDay(day);
      if (dayFromCivil(y, m, dd) !== day) wrong.push(day);
    }
    expect(wrong).toEqual([]);
    expect(dayFromCivil(1970, 1, 1)).toBe(0);
    expect(formatDay(d('2018-02-28') + 1)).toBe('2018-03-01');
    expect(formatDay(d('2020-02-28') + 1)).toBe('2020-02-29');
  });
});

describe('deadline: 7 calendar months + 15 days (README "Counting rules" 4)', () => {
  it.each([
    ['2017-11-10', '2018-06-25'], // the worked example of README "Counting rules" 4
    ['2017-08-31', '2018-04-15'], // 31 Aug + 7 months = 31 Mar
    ['2018-01-31', '2018-09-15'], // 31 Jan + 7 months = 31 Aug
    ['2017-07-31', '2018-03-15'], // 31 Jul + 7 months clamps to 28 Feb, + 15 days
    ['2019-07-31', '2020-03-15'], // clamps to 29 Feb in a leap year, + 15 days
    ['2020-02-29', '2020-10-14'], // from 29 Feb
    ['2019-12-20', '2020-08-04'],
  ])('accommodated %s is due by %s', (start, expected) => expect(due(start)).toBe(expected));

  it('clamps 31 Aug + 6 months to the end of February', () => {
    expect(due('2017-08-31', '6m')).toBe('2018-02-28');
    expect(due('2019-08-31', '6m')).toBe('2020-02-29');
  });

  it('adds weeks and days as days', () => {
    expect(due('2018-01-01', '12w')).toBe('2018-03-26');
    expect(due('2018-01-01', '228d')).toBe('2018-08-17');
    expect(due('2018-01-01', '14d')).toBe('2018-01-15');
  });

  // Worked by hand from a calendar, not from any date library: the last day of each month of
  // 2019 plus 7 whole months, across the year end and into the leap February of 2020.
  it.each([
    ['2019-01-31', '2019-08-31'],
    ['2019-02-28', '2019-09-28'],
    ['2019-03-31', '2019-10-31'],
    ['2019-04-30', '2019-11-30'],
    ['2019-05-31', '2019-12-31'],
    ['2019-06-30', '2020-01-30'],
    ['2019-07-31', '2020-02-29'],
    ['2019-08-31', '2020-03-31'],
    ['2019-09-30', '2020-04-30'],
    ['2019-10-31', '2020-05-31'],
    ['2019-11-30', '2020-06-30'],
    ['2019-12-31', '2020-07-31'],
  ])('month end %s + 7 months is %s', (start, expected) => expect(due(start, '7m')).toBe(expected));

  it.each([
    ['2018-07-29', '7.5m', '2019-03-15'], // 29 Feb 2019 does not exist: 28 Feb, + 15 days
    ['2019-07-29', '7.5m', '2020-03-15'], // 29 Feb 2020 does
    ['2019-07-30', '7.5m', '2020-03-15'], // 30 Feb clamps to 29 Feb in a leap year
    ['2017-05-20', '7.5m', '2018-01-04'], // the 15 days cross the year end
    ['2017-06-15', '7.5m', '2018-01-30'],
    ['2020-02-29', '12m', '2021-02-28'],
    ['2020-02-29', '48m', '2024-02-29'],
    ['2021-01-31', '1m', '2021-02-28'],
    ['2000-01-31', '1m', '2000-02-29'], // 2000 is a leap year (divisible by 400)
    ['2100-01-31', '1m', '2100-02-28'], // 2100 is not (divisible by 100)
  ])('%s + %s is %s', (start, target, expected) => expect(due(start, target)).toBe(expected));

  it('adds 7 months as the calendar does, for every start day over four years', () => {
    // Month lengths from the rule, not from a library: a clamped day is the month's last.
    const leap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
    const length = (y: number, m: number) => [31, leap(y) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1];
    const wrong: string[] = [];
    for (let day = d('2016-01-01'); day < d('2020-01-01'); day++) {
      const [y, m, dd] = civilFromDay(day);
      const ty = m + 7 > 12 ? y + 1 : y;
      const tm = ((m + 6) % 12) + 1;
      const expected = `${ty}-${String(tm).padStart(2, '0')}-${String(Math.min(dd, length(ty, tm))).padStart(2, '0')}`;
      const got = formatDay(deadline(day, parseDuration('7m')));
      if (got !== expected) wrong.push(`${formatDay(day)}: ${got}, not ${expected}`);
    }
    expect(wrong).toEqual([]);
  });

  it('reads targets and rejects nonsense', () => {
    expect(parseDuration('7.5m')).toMatchObject({ months: 7, days: 15 });
    expect(parseDuration('6 months')).toMatchObject({ months: 6, days: 0 });
    expect(parseDuration('32w')).toMatchObject({ months: 0, days: 224 });
    expect(() => parseDuration('soon')).toThrow(expect.objectContaining({ code: 'INVALID_DURATION' }));
    expect(() => parseDuration('1.5w')).toThrow(expect.objectContaining({ code: 'INVALID_DURATION' }));
  });
});

describe('strict date parsing', () => {
  const parse = dateParser();
  it.each([
    ['2018-03-05', '2018-03-05'],
    ['05/03/2018', '2018-03-05'],
    ['5/3/2018', '2018-03-05'],
    ['05-03-2018', '2018-03-05'],
    ['05.03.2018', '2018-03-05'],
    ['5 Mar 2018', '2018-03-05'],
    ['05-Mar-2018', '2018-03-05'],
    ['5 March 2018', '2018-03-05'],
    ['05/03/2018 14:30', '2018-03-05'],
    ['2018-03-05T00:00:00', '2018-03-05'],
    ['2018-03-05T23:30:00Z', '2018-03-05'],
    ['2018-03-05 23:59:59', '2018-03-05'],
    ['29/02/2020', '2020-02-29'],
  ])('%s is %s', (text, expected) => expect(formatDay(parse(text))).toBe(expected));

  it.each([
    '2018-02-30',
    '31/04/2018',
    '29/02/2019',
    '2018-13-01',
    '00/01/2018',
    '2018/03/05',
    '5 Foo 2018',
    '43000',
    '',
    'yesterday',
    '2018-3-5x',
  ])('%s is rejected, never rolled over', (text) => expect(parse(text)).toBeNaN());

  it('reads month-first and Excel serials only when asked', () => {
    expect(formatDay(dateParser(['mm/dd/yyyy'])('03/05/2018'))).toBe('2018-03-05');
    expect(formatDay(dateParser(['excel'])('43164'))).toBe('2018-03-05');
    expect(formatDay(dateParser(['excel'])('43164.5'))).toBe('2018-03-05');
    expect(() => dateParser(['dd/mm/yyyy', 'mm/dd/yyyy'])).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }));
  });

  it('names the formats a value fits', () => {
    expect(formatsFitting('05/03/2018')).toEqual(['dd/mm/yyyy', 'mm/dd/yyyy']);
    expect(formatsFitting('25/03/2018')).toEqual(['dd/mm/yyyy']);
  });
});

describe('age', () => {
  it('is under 12 the day before the 12th birthday and 12 on it', () => {
    expect(ageOn(d('2006-01-10'), d('2018-01-09'))).toBe(11);
    expect(ageOn(d('2006-01-10'), d('2018-01-10'))).toBe(12);
  });
  it('turns a 29 February birthday on 1 March in common years (Scots law)', () => {
    expect(ageOn(d('2008-02-29'), d('2020-02-28'))).toBe(11);
    expect(ageOn(d('2008-02-29'), d('2020-02-29'))).toBe(12);
    expect(ageOn(d('2004-02-29'), d('2015-02-28'))).toBe(10);
    expect(ageOn(d('2004-02-29'), d('2015-03-01'))).toBe(11);
  });
});
