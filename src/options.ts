/** Command-line values -> typed values, with usage errors (exit 2) that say what was expected. */
import { type Day } from './dates/days.js';
import { DATE_RANGE_TEXT, dateParser } from './dates/parse.js';
import { usageError } from './errors.js';
import { didYouMean } from './suggest.js';
import { ENCODINGS } from './read/source.js';
import { type Encoding } from './read/source-info.js';

const optionDate = dateParser(['yyyy-mm-dd', 'dd/mm/yyyy']);

export function parseDateOption(value: string, flag: string): Day {
  const day = optionDate(value.trim());
  if (Number.isNaN(day) && !Number.isNaN(optionDate.unbounded(value.trim())))
    throw usageError(
      'INVALID_OPTION',
      `${flag} "${value}" is outside the dates pace-audit accepts (${DATE_RANGE_TEXT}); is the year mistyped?`,
    );
  if (Number.isNaN(day))
    throw usageError('INVALID_OPTION', `${flag} "${value}" is not a real date (use yyyy-mm-dd or dd/mm/yyyy)`);
  return day;
}

export function parseNumberOption(
  value: string | number,
  flag: string,
  { min = 0, max = Infinity, integer = false } = {},
): number {
  const n = typeof value === 'number' ? value : Number(String(value).trim().replace(/%$/, ''));
  if (String(value).trim() === '' || !Number.isFinite(n) || n < min || n > max || (integer && !Number.isInteger(n)))
    throw usageError(
      'INVALID_OPTION',
      `${flag} "${value}" must be ${integer ? 'a whole number' : 'a number'} from ${min}${max === Infinity ? ' up' : ` to ${max}`}`,
    );
  return n;
}

export function parseChoice<T extends string>(value: string, flag: string, choices: readonly T[]): T {
  const v = value.trim().toLowerCase() as T;
  if (!choices.includes(v))
    throw usageError(
      'INVALID_OPTION',
      `${flag} "${value}" must be one of: ${choices.join(', ')}${didYouMean(v, choices)}`,
    );
  return v;
}

export function parseEncoding(value: string): Encoding {
  const aliases: Record<string, Encoding> = {
    utf8: 'utf-8',
    cp1252: 'windows-1252',
    latin1: 'windows-1252',
    utf16le: 'utf-16le',
    utf16be: 'utf-16be',
  };
  const v = value.trim().toLowerCase();
  return aliases[v] ?? parseChoice(v, '--encoding', ENCODINGS);
}
