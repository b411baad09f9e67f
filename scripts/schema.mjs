// Writes schema/config.schema.json from the zod schema the CLI validates config files with
// (run after a build: npm run schema). test/schema.test.ts fails while the two differ.
import { writeFileSync } from 'node:fs';
import { configJsonSchema } from '../dist/config.js';

const file = new URL('../schema/config.schema.json', import.meta.url);
writeFileSync(file, `${JSON.stringify(configJsonSchema(), null, 2)}\n`);
console.log('schema/config.schema.json written');
