/**
 * Input checks, run before any request: a refused input is an
 * `invalid-request` `SendAuthError` with status 0, and nothing is sent.
 * Limits are those of `openapi.yaml` (components/schemas); a user's names and
 * email go out in their one form (`field-rules.ts`, shared with the proxy and
 * the element), so an address reaches the same account whoever sends it.
 */
import { codePoints, EMAIL_MAX_LENGTH, isUuid, NAME_LENGTH, normalizeEmail, normalizeName, type NormalizedField } from '../field-rules.js';
import type { Company, ListUsersQuery, TagsRequest, UserInput, WebTX } from '../types.js';
import { SendAuthError } from './errors.js';
import type { Operation } from './status-codes.js';

const ROLES = ['admin', 'user', 'super_admin'];
const MESSAGING_PREFERENCES = ['email', 'sms', 'both'];
const SORT_DIRS = ['asc', 'desc'];

export function refuseInput(operation: Operation, problem: string): never {
  throw new SendAuthError({
    operation,
    status: 0,
    code: 'invalid-request',
    message: `Invalid input to ${operation}: ${problem}; no request was sent to SendAuth`,
  });
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function checkUuid(operation: Operation, name: string, value: unknown): string {
  if (!isUuid(value)) refuseInput(operation, `${name} must be a UUID`);
  return value;
}

function checkString(operation: Operation, name: string, value: unknown, min: number, max: number): string {
  if (typeof value !== 'string') refuseInput(operation, `${name} must be a string`);
  const n = codePoints(value); // JSON Schema's maxLength counts code points, not UTF-16 units
  if (n < min || n > max) refuseInput(operation, `${name} must be ${min}–${max} characters long`);
  return value;
}

function checkOneOf(operation: Operation, name: string, value: unknown, allowed: readonly string[]): void {
  if (typeof value !== 'string' || !allowed.includes(value)) {
    refuseInput(operation, `${name} must be one of ${allowed.join(', ')}`);
  }
}

function checkList(operation: Operation, name: string, value: unknown, checkItem: (item: unknown, itemName: string) => void): void {
  if (!Array.isArray(value)) refuseInput(operation, `${name} must be an array`);
  value.forEach((item, i) => checkItem(item, `${name}[${i}]`));
}

function checkCompany(operation: Operation, company: unknown): Company {
  if (!isPlainObject(company)) refuseInput(operation, 'user.company must be an object');
  const { id, orgID, name } = company;
  if (id !== undefined) checkUuid(operation, 'user.company.id', id);
  if (orgID !== undefined) checkUuid(operation, 'user.company.orgID', orgID);
  if (name !== undefined) checkString(operation, 'user.company.name', name, 2, 100);
  // `createdAt` is read-only: left out.
  return dropUndefined({ id, orgID, name }) as Company;
}

/**
 * A user body for `createUser`/`updateUser`: checked, and reduced to the
 * writable fields (the read-only `id`, `username`, `hasPasskeys`,
 * `createdAt`, `lastAuthenticated` and anything unknown are left out, so a
 * user fetched with `getUser` can be edited and sent back as is).
 */
export function checkUserInput(operation: Operation, user: unknown): UserInput {
  if (!isPlainObject(user)) refuseInput(operation, 'user must be an object');
  const { role, firstName, lastName, email, phone, company, permissions, groupPermissions, permissionGroups, messagingPreference } = user;
  if (role !== undefined) checkOneOf(operation, 'user.role', role, ROLES);
  if (phone !== undefined) checkString(operation, 'user.phone', phone, 0, 20);
  for (const [name, list] of [['user.permissions', permissions], ['user.groupPermissions', groupPermissions]] as const) {
    if (list !== undefined) checkList(operation, name, list, (item, itemName) => checkString(operation, itemName, item, 0, 64));
  }
  if (permissionGroups !== undefined) {
    checkList(operation, 'user.permissionGroups', permissionGroups, (item, itemName) => checkUuid(operation, itemName, item));
  }
  if (messagingPreference !== undefined) checkOneOf(operation, 'user.messagingPreference', messagingPreference, MESSAGING_PREFERENCES);
  return dropUndefined({
    role,
    firstName: oneForm(operation, 'user.firstName', firstName, normalizeName),
    lastName: oneForm(operation, 'user.lastName', lastName, normalizeName),
    email: email === undefined ? undefined : oneForm(operation, 'user.email', email, normalizeEmail),
    phone,
    company: company === undefined ? undefined : checkCompany(operation, company),
    permissions,
    groupPermissions,
    permissionGroups,
    messagingPreference,
  }) as UserInput;
}

const PROBLEMS: Record<NonNullable<NormalizedField['problem']>, string> = {
  required: 'must not be empty',
  length: `must be ${NAME_LENGTH.min}–${NAME_LENGTH.max} characters long`,
  'too-long': `must be at most ${EMAIL_MAX_LENGTH} characters long`,
  'not-text': 'holds characters that are not text (a control character or an unpaired surrogate)',
  'not-an-email': 'must be an email address',
  'email-local-part': 'cannot be stored: SendAuth takes only ASCII before the @ (the spec’s format: email)',
};

/** A field in its one form (`field-rules.ts`); refused when that form has a problem. */
function oneForm(operation: Operation, name: string, value: unknown, normalize: (raw: string) => NormalizedField): string {
  if (typeof value !== 'string') refuseInput(operation, `${name} must be a string`);
  const { value: normalized, problem } = normalize(value);
  if (problem) refuseInput(operation, `${name} ${PROBLEMS[problem]}`);
  return normalized;
}

/** The optional body of `authenticateUser`. */
export function checkWebTx(operation: Operation, webTx: unknown): WebTX | undefined {
  if (webTx === undefined) return undefined;
  if (!isPlainObject(webTx)) refuseInput(operation, 'webTx must be an object');
  const { message, connectwise } = webTx;
  if (message !== undefined) checkString(operation, 'webTx.message', message, 0, 1024);
  if (connectwise !== undefined) checkString(operation, 'webTx.connectwise', connectwise, 0, 64);
  return dropUndefined({ message, connectwise }) as WebTX;
}

export function checkTags(operation: Operation, request: unknown): TagsRequest {
  if (!isPlainObject(request)) refuseInput(operation, 'the tags request must be an object');
  const { tags } = request;
  if (tags === undefined) return {};
  if (!isPlainObject(tags) || !Object.values(tags).every((value) => typeof value === 'string')) {
    refuseInput(operation, 'tags must be an object of string values');
  }
  return { tags: tags as Record<string, string> };
}

type QueryKey = keyof ListUsersQuery;

/**
 * A list query as search parameters. `allowed` is what the operation takes;
 * an unknown key is refused rather than silently ignored (`per_page` for `perPage`).
 */
export function checkQuery(operation: Operation, query: unknown, allowed: readonly QueryKey[]): Record<string, string | number> {
  if (query === undefined) return {};
  if (!isPlainObject(query)) refuseInput(operation, 'the query must be an object');
  const params: Record<string, string | number> = {};
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    if (!(allowed as readonly string[]).includes(key)) {
      refuseInput(operation, `unknown query parameter ${JSON.stringify(key)} (allowed: ${allowed.join(', ')})`);
    }
    if (key === 'page') {
      if (!Number.isSafeInteger(value) || (value as number) < 1) refuseInput(operation, 'page must be an integer ≥ 1');
    } else if (key === 'perPage') {
      if (!Number.isSafeInteger(value) || (value as number) < 1 || (value as number) > 100) {
        refuseInput(operation, 'perPage must be an integer from 1 to 100');
      }
    } else if (key === 'sortDir') {
      checkOneOf(operation, 'sortDir', value, SORT_DIRS);
    } else if (typeof value !== 'string') {
      refuseInput(operation, `${key} must be a string`);
    }
    params[key] = value as string | number;
  }
  return params;
}

function dropUndefined(object: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined));
}
