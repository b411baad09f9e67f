import { expect, it } from 'vitest';
import { neutralise } from '../src/report/cells.js';

it.each([
  ['=1+1', "'=1+1"],
  ['+44 131', "'+44 131"],
  ['-2', "'-2"],
  ['@SUM(A1)', "'@SUM(A1)"],
  ['\tx', "'\tx"],
  ['\rx', "'\rx"],
  ['C001', 'C001'],
  ['', ''],
  ['2018-01-01', '2018-01-01'],
])('neutralise(%j) = %j', (input, expected) => expect(neutralise(input)).toBe(expected));
