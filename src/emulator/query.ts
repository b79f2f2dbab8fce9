/**
 * Query strings of the list operations, read exactly as openapi.yaml declares
 * them: each operation's parameters with their types, minimums, maximums and
 * enums, and nothing stricter. Where the spec leaves a value's meaning open
 * (a `page` below 1 where it has no minimum, an unknown `sortBy`), the
 * emulator's reading is chosen here and documented in the README ("The
 * emulator on its own").
 *
 * An integer is written in decimal digits with an optional leading `-`
 * (form style, as every client sends it); anything else, the empty value
 * included, is 400. A string parameter takes any value; empty means "not
 * given". When a parameter is repeated, the first value counts. Unknown
 * parameters are ignored.
 */
import { badRequest } from './errors.js';
import type { StoredUser } from './model.js';

type IntegerParameter = { type: 'integer'; minimum?: number; maximum?: number };
type StringParameter = { type: 'string'; enum?: readonly string[] };
type Parameter = IntegerParameter | StringParameter;

const STRING: StringParameter = { type: 'string' };
const INTEGER: IntegerParameter = { type: 'integer' };

/** The query parameters of the emulated list operations, copied from openapi.yaml (`paths.*.get.parameters`, `in: query`). */
export const QUERY_PARAMETERS = {
  listUsers: {
    page: { type: 'integer', minimum: 1 },
    perPage: { type: 'integer', minimum: 1, maximum: 100 },
    q: STRING,
    permission: STRING,
    sortBy: STRING,
    sortDir: { type: 'string', enum: ['asc', 'desc'] },
  },
  listDeletedUsers: { page: INTEGER, perPage: INTEGER, q: STRING, permission: STRING },
  getUserTransactions: { page: INTEGER, perPage: INTEGER, q: STRING },
  getUserAudits: { page: INTEGER, perPage: INTEGER, q: STRING },
} as const satisfies Record<string, Record<string, Parameter>>;

export type ListOperation = keyof typeof QUERY_PARAMETERS;

export const DEFAULT_PAGE = 1;
export const DEFAULT_PER_PAGE = 20;

/** User fields `sortBy` can name: the string-valued fields of the `User` schema. Any other value keeps the default order. */
export const SORTABLE_USER_FIELDS = [
  'id',
  'username',
  'firstName',
  'lastName',
  'email',
  'phone',
  'role',
  'messagingPreference',
  'createdAt',
  'lastAuthenticated',
] as const satisfies readonly (keyof StoredUser)[];
export type UserSortField = (typeof SORTABLE_USER_FIELDS)[number];
/** The default order of `listUsers`: oldest first. */
export const DEFAULT_SORT_FIELD: UserSortField = 'createdAt';

export interface ListQuery {
  /** 1-based; a value below 1 (allowed where the spec has no minimum) reads as the first page. */
  page: number;
  /** Rows per page; a value below 1 (allowed where the spec has no minimum) reads as the default, 20. */
  perPage: number;
  q?: string;
  permission?: string;
  sortBy: UserSortField;
  sortDir: 'asc' | 'desc';
}

type RawQuery = Record<string, string | undefined>;

/** Decimal digits with an optional `-`; past ±2^53 the value only needs to be "beyond every list", so it is clamped. */
function readInteger(name: string, raw: string, spec: IntegerParameter): number {
  if (!/^-?\d+$/.test(raw)) throw badRequest(`Query parameter ${name} must be an integer, got ${JSON.stringify(raw)}`, name);
  const value = Math.max(-Number.MAX_SAFE_INTEGER, Math.min(Number.MAX_SAFE_INTEGER, Number(raw)));
  if (spec.minimum !== undefined && value < spec.minimum) {
    throw badRequest(`Query parameter ${name} must be at least ${spec.minimum}, got ${raw}`, name);
  }
  if (spec.maximum !== undefined && value > spec.maximum) {
    throw badRequest(`Query parameter ${name} must be at most ${spec.maximum}, got ${raw}`, name);
  }
  return value;
}

function readString(name: string, raw: string, spec: StringParameter): string | undefined {
  if (spec.enum !== undefined && !spec.enum.includes(raw)) {
    throw badRequest(`Query parameter ${name} must be one of ${spec.enum.join(', ')}, got ${JSON.stringify(raw)}`, name);
  }
  return raw === '' ? undefined : raw;
}

/**
 * The query of list operation `operation`, checked against the spec (400
 * with `field` naming the parameter otherwise), with defaults applied.
 * Parameters the operation does not declare are ignored, as are their values.
 */
export function parseListQuery(operation: ListOperation, query: RawQuery): ListQuery {
  const declared: Record<string, Parameter> = QUERY_PARAMETERS[operation];
  const integers: Record<string, number> = {};
  const strings: Record<string, string> = {};
  for (const [name, spec] of Object.entries(declared)) {
    const raw = query[name];
    if (raw === undefined) continue;
    if (spec.type === 'integer') integers[name] = readInteger(name, raw, spec);
    else {
      const value = readString(name, raw, spec);
      if (value !== undefined) strings[name] = value;
    }
  }
  const page = integers.page ?? DEFAULT_PAGE;
  const perPage = integers.perPage ?? DEFAULT_PER_PAGE;
  const sortBy = strings.sortBy;
  const result: ListQuery = {
    page: page < 1 ? DEFAULT_PAGE : page,
    perPage: perPage < 1 ? DEFAULT_PER_PAGE : perPage,
    sortBy: sortBy !== undefined && (SORTABLE_USER_FIELDS as readonly string[]).includes(sortBy) ? (sortBy as UserSortField) : DEFAULT_SORT_FIELD,
    sortDir: strings.sortDir === 'desc' ? 'desc' : 'asc',
  };
  if (strings.q !== undefined) result.q = strings.q;
  if (strings.permission !== undefined) result.permission = strings.permission;
  return result;
}
