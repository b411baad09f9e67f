/** The canonical vocabulary: events and routes as small integers so per-child state stays compact. */

export const EVENTS = [
  'accommodated',
  'review',
  'permanence_decision',
  'permanence_panel',
  'adm_decision',
  'court_application',
  'final_order',
  'ceased_accommodated',
] as const;
export type EventName = (typeof EVENTS)[number];
// biome-ignore lint/suspicious/noConstEnum: inlined as numbers in the per-row hot path; never crosses a module boundary at run time
export const enum Ev {
  Accommodated = 0,
  Review = 1,
  Decision = 2,
  Panel = 3,
  Adm = 4,
  Court = 5,
  FinalOrder = 6,
  Ceased = 7,
}

/** Events as messages name them. */
export const EVENT_LABELS: Record<EventName, string> = {
  accommodated: 'accommodated',
  review: 'review',
  permanence_decision: 'permanence decision',
  permanence_panel: 'permanence panel',
  adm_decision: 'ADM decision',
  court_application: 'court application',
  final_order: 'final order',
  ceased_accommodated: 'ceased accommodated',
};

export const ROUTES = ['home', 'kinship', 'permanence_order', 'adoption'] as const;
export type RouteName = (typeof ROUTES)[number];
export const ROUTE_LABELS: Record<RouteName, string> = {
  home: 'Home',
  kinship: 'Kinship care',
  permanence_order: 'Permanence order',
  adoption: 'Adoption',
};
/** 0 = no route; 1..4 index ROUTES + 1. */
export type RouteCode = 0 | 1 | 2 | 3 | 4;
export const routeName = (r: RouteCode): RouteName | null => (r === 0 ? null : ROUTES[r - 1]);

/** "Permanence Decision", "permanence-decision" and "PERMANENCE_DECISION" are one value. */
export const normaliseCode = (s: string) =>
  s
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');

const EVENT_INDEX = new Map<string, number>(EVENTS.map((e, i) => [e, i]));
const ROUTE_INDEX = new Map<string, RouteCode>(ROUTES.map((r, i) => [r, (i + 1) as RouteCode]));
export const eventCode = (s: string): number | undefined => EVENT_INDEX.get(normaliseCode(s));
export const routeCode = (s: string): RouteCode | undefined => ROUTE_INDEX.get(normaliseCode(s));

/** Canonical input fields, as columns of the long layout. */
export const FIELDS = ['child_id', 'family_id', 'date_of_birth', 'event', 'event_date', 'route'] as const;
export type Field = (typeof FIELDS)[number];
export const REQUIRED_FIELDS: readonly Field[] = ['child_id', 'event', 'event_date'];
