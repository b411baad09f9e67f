// The floor: csv-parse turning the file into arrays, in one thread, with the options and read
// size pace-audit uses, and nothing else.
import { createReadStream } from 'node:fs';
import { parse } from 'csv-parse';

let records = 0;
createReadStream(process.argv[2], { highWaterMark: 64 * 1024 })
  .pipe(parse({ delimiter: ',', bom: true, relax_column_count: true, relax_quotes: true, skip_empty_lines: false }))
  .on('data', () => records++)
  .on('end', () => console.log(records));
