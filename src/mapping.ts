/**
 * How an export's columns and codes map onto the canonical fields, events and routes. The
 * default mapping reads the canonical CSV; a config file (issue: real exports) supplies others.
 */
import { DEFAULT_DATE_FORMATS, type DateFormat } from './dates/parse.js';
import {
  type EventName,
  eventCode,
  FIELDS,
  type Field,
  normaliseCode,
  REQUIRED_FIELDS,
  type RouteCode,
  routeCode,
  type RouteName,
  EVENTS,
  ROUTES,
} from './model.js';

export interface Mapping {
  /** long: a row per event; wide: a row per child with a date column per milestone. */
  layout?: 'long' | 'wide';
  columns: Record<Field, string>;
  /** Wide layout: event -> the column holding its date. */
  milestones?: Partial<Record<EventName, string>> | undefined;
  /** The export's event value -> canonical event, or null to ignore it on purpose. */
  events?: Record<string, EventName | null> | undefined;
  routes?: Record<string, RouteName> | undefined;
  dateFormats: readonly DateFormat[];
}

export const DEFAULT_MAPPING: Mapping = {
  columns: Object.fromEntries(FIELDS.map((f) => [f, f])) as Record<Field, string>,
  dateFormats: DEFAULT_DATE_FORMATS,
};

export const isRequired = (f: Field) => REQUIRED_FIELDS.includes(f);

/** Event values as the mapping reads them: canonical names always, plus the mapping's own codes. */
export function eventReader(mapping: Mapping): (value: string) => number | null | undefined {
  const own = new Map<string, number | null>();
  for (const [value, event] of Object.entries(mapping.events ?? {}))
    own.set(normaliseCode(value), event === null ? null : EVENTS.indexOf(event));
  return cached((value) => {
    const key = normaliseCode(value);
    return own.has(key) ? own.get(key) : eventCode(value);
  });
}

/** Exports repeat a handful of codes millions of times: normalise each distinct value once. */
function cached<T>(read: (value: string) => T): (value: string) => T {
  const cache = new Map<string, T>();
  return (value) => {
    const hit = cache.get(value);
    if (hit !== undefined || cache.has(value)) return hit as T;
    const code = read(value);
    if (cache.size < 10_000) cache.set(value, code);
    return code;
  };
}

export function routeReader(mapping: Mapping): (value: string) => RouteCode | undefined {
  const own = new Map<string, RouteCode>();
  for (const [value, route] of Object.entries(mapping.routes ?? {}))
    own.set(normaliseCode(value), (ROUTES.indexOf(route) + 1) as RouteCode);
  return cached((value) => own.get(normaliseCode(value)) ?? routeCode(value));
}
