/**
 * pace-audit.config.json: how one export maps onto the canonical fields, events and routes,
 * and defaults for the audit options. Validated with zod; a mistake stops the run (exit 2)
 * naming the key path and what was expected. Command-line flags override its defaults.
 */
import { closeSync, constants, existsSync, fstatSync, openSync, readSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import type * as Zod from 'zod';
import { CONFIG_FILE } from './config-file.js';
import { DATE_FORMATS, DEFAULT_DATE_FORMATS } from './dates/parse.js';
import { PaceError } from './errors.js';
import { DEFAULT_MAPPING, type Mapping } from './mapping.js';
import { EVENTS, FIELDS, ROUTES } from './model.js';
import { didYouMean } from './suggest.js';

// zod costs ~13 MB of memory to load: only a run with a config file needs it here.
function configSchema() {
  const { z } = createRequire(import.meta.url)('zod') as typeof Zod;
  const header = z
    .string()
    .trim()
    .min(1, 'expected a column header')
    .refine((v) => !/^TODO\b/i.test(v), "still says TODO: put your export's header here");
  const eventName = z.enum(EVENTS);
  return z
    .object({
      /** Where an editor finds this schema (schema/config.schema.json), to complete and check keys. */
      $schema: z.string().optional(),
      layout: z.enum(['long', 'wide']).default('long'),
      /** Canonical field -> the export's header. In the wide layout, also event -> date column. */
      columns: z.partialRecord(z.enum([...FIELDS, ...EVENTS]), header).default({}),
      events: z.record(z.string(), eventName.nullable()).optional(),
      routes: z.record(z.string(), z.enum(ROUTES)).optional(),
      dateFormat: z.union([z.enum(DATE_FORMATS), z.array(z.enum(DATE_FORMATS)).min(1)]).optional(),
      encoding: z.enum(['utf-8', 'utf-16le', 'utf-16be', 'windows-1252']).optional(),
      defaults: z
        .object({
          target: z.string().optional(),
          aim: z.number().min(0).max(100).optional(),
          maxAge: z.number().int().min(1).max(25).optional(),
          from: z.string().optional(),
          to: z.string().optional(),
          // For unattended runs (cron): the audit date, format and alert thresholds.
          asOf: z.string().optional(),
          format: z.enum(['table', 'json', 'csv', 'ndjson']).optional(),
          failUnder: z.number().min(0).max(100).optional(),
          failOnOverdue: z.union([z.boolean(), z.number().int().min(0)]).optional(),
          maxRejected: z
            .union([
              z.number().int().min(0),
              z.string().regex(/^\d+(\.\d+)?%$/, 'a count, or a percentage such as "5%"'),
            ])
            .optional(),
          failOnFindings: z.array(z.string()).optional(),
        })
        .strict()
        .default({}),
    })
    .strict()
    .superRefine((c, ctx) => {
      if (c.layout === 'wide') {
        if (!c.columns.child_id)
          ctx.addIssue({
            code: 'custom',
            path: ['columns', 'child_id'],
            message: 'required: the column that holds the child id',
          });
        if (!c.columns.accommodated)
          ctx.addIssue({
            code: 'custom',
            path: ['columns', 'accommodated'],
            message: 'required in the wide layout: the column that holds the accommodation date',
          });
        if (c.columns.event || c.columns.event_date)
          ctx.addIssue({
            code: 'custom',
            path: ['columns'],
            message: 'the wide layout has a date column per event, not event and event_date',
          });
        if (c.events)
          ctx.addIssue({ code: 'custom', path: ['events'], message: 'the wide layout has no event codes to map' });
      } else {
        const milestones = EVENTS.filter((e) => c.columns[e]);
        if (milestones.length)
          ctx.addIssue({
            code: 'custom',
            path: ['columns', milestones[0]],
            message: 'a column per event is for "layout": "wide"',
          });
      }
    });
}

/** The keys each object of the config may hold, for "did you mean" on an unknown one. */
const KEYS: Record<string, readonly string[]> = {
  '': ['layout', 'columns', 'events', 'routes', 'dateFormat', 'encoding', 'defaults'],
  columns: [...FIELDS, ...EVENTS],
  defaults: ['target', 'aim', 'maxAge', 'from', 'to'],
};

/**
 * zod's message, made specific: an unknown key or value names the nearest valid one, and a
 * value still reading "TODO" (as `inspect` suggests them) is named as a leftover TODO.
 */
function explainIssue(issue: Zod.core.$ZodIssue, json: unknown): string {
  if (issue.code === 'custom') return issue.message;
  const value = issue.path.reduce<unknown>(
    (v, k) => (v !== null && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[k] : undefined),
    json,
  );
  if (typeof value === 'string' && /^\s*TODO\b/i.test(value))
    return `still says TODO: replace it with ${issue.code === 'invalid_value' ? `one of ${issue.values.map(String).join(', ')}${issue.path[0] === 'events' ? ', or null to ignore the value' : ''}` : 'your value'}`;
  if (issue.code === 'unrecognized_keys') {
    const known = KEYS[issue.path.join('.')] ?? [];
    return issue.keys.map((k) => `unknown key "${k}"${didYouMean(k, known)}`).join('; ');
  }
  if (issue.code === 'invalid_value' && typeof value === 'string')
    return `${issue.message}${didYouMean(value, issue.values.map(String))}`;
  return issue.message;
}

type Config = Zod.infer<ReturnType<typeof configSchema>>;

/** The config file's JSON Schema, generated from the zod schema (npm run schema writes it to schema/). */
export function configJsonSchema(): Record<string, unknown> {
  const { z } = createRequire(import.meta.url)('zod') as typeof Zod;
  return {
    ...z.toJSONSchema(configSchema(), { io: 'input', target: 'draft-2020-12' }),
    title: 'pace-audit config file (pace-audit.config.json)',
  };
}

/** A config is a few KiB; more than this is not one (and /dev/zero would never end). */
const MAX_CONFIG_BYTES = 1024 * 1024;

/** The config's text: a regular file only (a FIFO without a writer would block for ever), capped. */
function readConfigText(name: string, path: string): string {
  const unreadable = (e: unknown) =>
    new PaceError('CONFIG_INVALID', `${name}: cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  let fd: number;
  try {
    if (!statSync(path).isFile())
      throw new PaceError(
        'CONFIG_INVALID',
        `${name}: is not a regular file (a pipe, socket or device); give a config file`,
      );
    // O_NONBLOCK: should the path become a FIFO after the check, opening it does not wait.
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    throw e instanceof PaceError ? e : unreadable(e);
  }
  try {
    if (!fstatSync(fd).isFile())
      throw new PaceError(
        'CONFIG_INVALID',
        `${name}: is not a regular file (a pipe, socket or device); give a config file`,
      );
    const buf = Buffer.alloc(MAX_CONFIG_BYTES + 1);
    let n = 0;
    for (let got = 1; got > 0 && n < buf.length; n += got) got = readSync(fd, buf, n, buf.length - n, null);
    if (n > MAX_CONFIG_BYTES)
      throw new PaceError(
        'CONFIG_INVALID',
        `${name}: is larger than ${MAX_CONFIG_BYTES / 1024 / 1024} MiB; a config is a small JSON file`,
      );
    return buf.toString('utf8', 0, n);
  } catch (e) {
    throw e instanceof PaceError ? e : unreadable(e);
  } finally {
    closeSync(fd);
  }
}

const NO_CONFIG: Config = { layout: 'long', columns: {}, defaults: {} };

export interface LoadedConfig {
  file: string | null;
  mapping: Mapping;
  config: Config;
}

/** --config FILE, else pace-audit.config.json in the working folder, else the canonical mapping. */
export function loadConfig(explicit?: string, cwd = process.cwd()): LoadedConfig {
  const file = explicit ?? (existsSync(resolve(cwd, CONFIG_FILE)) ? CONFIG_FILE : undefined);
  if (file === undefined) return { file: null, mapping: DEFAULT_MAPPING, config: NO_CONFIG };
  const text = readConfigText(file, resolve(cwd, file));
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    throw new PaceError('CONFIG_INVALID', `${file}: is not valid JSON (${(e as Error).message})`);
  }
  const parsed = configSchema().safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(top level)'}: ${explainIssue(i, json)}`);
    throw new PaceError('CONFIG_INVALID', `${file}: ${problems.join('; ')}`);
  }
  const config = parsed.data;
  const columns = { ...DEFAULT_MAPPING.columns, ...config.columns } as Mapping['columns'];
  const milestones = Object.fromEntries(EVENTS.filter((e) => config.columns[e]).map((e) => [e, config.columns[e]!]));
  const mapping: Mapping = {
    layout: config.layout,
    columns,
    milestones,
    events: config.events,
    routes: config.routes,
    dateFormats: config.dateFormat === undefined ? DEFAULT_DATE_FORMATS : [config.dateFormat].flat(),
  };
  return { file, mapping, config };
}
