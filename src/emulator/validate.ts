/**
 * Input checks for path ids and JSON bodies (query strings: `query.ts`;
 * WebAuthn responses: `webauthn-response.ts`).
 * Each check either returns a clean, typed value (unknown and read-only
 * fields dropped) or throws an `EmulatorError` (400, or the status the
 * caller asks for), so a handler never sees bad input.
 * Limits are the spec's (openapi.yaml, components/schemas).
 */
import {
  type Company,
  type UserInput,
  type UserRole,
  type MessagingPreference,
  type WebTX,
} from '../types.js';
import { EmulatorError, badRequest, type ErrorStatus } from './errors.js';

// The WHATWG definition of a valid e-mail address (what <input type=email> accepts).
const EMAIL =
  /^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$/;
const ROLES: readonly UserRole[] = ['admin', 'user', 'super_admin'];
const MESSAGING_PREFERENCES: readonly MessagingPreference[] = ['email', 'sms', 'both'];

/** The spec's `format: uuid` (RFC 4122's text form), any case. The emulator's own: it checks our side, so it shares none of its rules. */
const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return UUID_PATTERN.test(value);
}

/** A `{userID}` / `{txID}` path parameter: must be a UUID (400 otherwise). */
export function parseIdParam(value: string | undefined, name: string): string {
  if (value === undefined || !isUuid(value)) {
    throw badRequest(`Path parameter ${name} must be a UUID, got ${JSON.stringify(value ?? '')}`, name);
  }
  return value.toLowerCase();
}

/** Parses a request body. An empty body is `undefined` (for optional bodies); anything else must be JSON. */
export function parseJsonText(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw badRequest('Request body is not valid JSON');
  }
}

/** JSON Schema's minLength/maxLength count code points (an emoji is one), not UTF-16 units. */
function codePointLength(value: string): number {
  let n = 0;
  for (const _ of value) n += 1;
  return n;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Collects field checks for one body, failing with `status` (400 on create, 422 on update). */
class FieldChecker {
  constructor(
    private readonly status: ErrorStatus,
    private readonly source: Record<string, unknown>,
  ) {}

  fail(field: string, error: string): never {
    throw new EmulatorError(this.status, { error, field });
  }

  string(field: string, opts: { min?: number; max: number; required?: boolean }): string | undefined {
    const value = this.source[field];
    if (value === undefined) {
      if (opts.required) this.fail(field, `${field} is required`);
      return undefined;
    }
    if (typeof value !== 'string') this.fail(field, `${field} must be a string`);
    const length = codePointLength(value);
    if (opts.min !== undefined && length < opts.min) {
      this.fail(field, `${field} must be at least ${opts.min} characters`);
    }
    if (length > opts.max) this.fail(field, `${field} must be at most ${opts.max} characters`);
    return value;
  }

  oneOf<T extends string>(field: string, allowed: readonly T[]): T | undefined {
    const value = this.source[field];
    if (value === undefined) return undefined;
    if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
      this.fail(field, `${field} must be one of ${allowed.join(', ')}`);
    }
    return value as T;
  }

  stringArray(field: string, check: (item: string) => string | undefined): string[] | undefined {
    const value = this.source[field];
    if (value === undefined) return undefined;
    if (!Array.isArray(value)) this.fail(field, `${field} must be an array of strings`);
    return value.map((item: unknown, index) => {
      if (typeof item !== 'string') this.fail(field, `${field}[${index}] must be a string`);
      const problem = check(item);
      if (problem !== undefined) this.fail(field, `${field}[${index}] ${problem}`);
      return item;
    });
  }
}

/**
 * The writable fields of a `User` body. Read-only fields (`id`, `username`,
 * `hasPasskeys`, `createdAt`, `lastAuthenticated`) and unknown fields are
 * ignored; `firstName` and `lastName` are required (the schema's `required`).
 */
export function parseUserInput(body: unknown, status: 400 | 422): UserInput {
  if (!isPlainObject(body)) throw new EmulatorError(400, { error: 'Request body must be a JSON object (a User)' });
  const check = new FieldChecker(status, body);
  const firstName = check.string('firstName', { min: 2, max: 50, required: true }) as string;
  const lastName = check.string('lastName', { min: 2, max: 50, required: true }) as string;
  const user: UserInput = { firstName, lastName };

  const email = check.string('email', { max: 256 });
  if (email !== undefined) {
    if (!EMAIL.test(email)) check.fail('email', 'email must be an e-mail address');
    user.email = email;
  }
  const phone = check.string('phone', { max: 20 });
  if (phone !== undefined) user.phone = phone;
  const role = check.oneOf('role', ROLES);
  if (role !== undefined) user.role = role;
  const messagingPreference = check.oneOf('messagingPreference', MESSAGING_PREFERENCES);
  if (messagingPreference !== undefined) user.messagingPreference = messagingPreference;

  const permissionItem = (item: string) => (codePointLength(item) > 64 ? 'must be at most 64 characters' : undefined);
  const permissions = check.stringArray('permissions', permissionItem);
  if (permissions !== undefined) user.permissions = permissions;
  const groupPermissions = check.stringArray('groupPermissions', permissionItem);
  if (groupPermissions !== undefined) user.groupPermissions = groupPermissions;
  const permissionGroups = check.stringArray('permissionGroups', (item) => (isUuid(item) ? undefined : 'must be a UUID'));
  if (permissionGroups !== undefined) user.permissionGroups = permissionGroups;

  if (body.company !== undefined) user.company = parseCompany(body.company, status);
  return user;
}

function parseCompany(value: unknown, status: ErrorStatus): Company {
  if (!isPlainObject(value)) throw new EmulatorError(status, { error: 'company must be an object', field: 'company' });
  const check = new FieldChecker(status, value);
  const company: Company = {};
  for (const field of ['id', 'orgID'] as const) {
    const id = check.string(field, { max: 36 });
    if (id !== undefined) {
      if (!isUuid(id)) check.fail(`company.${field}`, `company.${field} must be a UUID`);
      company[field] = id;
    }
  }
  const name = check.string('name', { min: 2, max: 100 });
  if (name !== undefined) company.name = name;
  return company;
}

/** Optional `WebTX` body of `authenticate`. */
export function parseWebTx(body: unknown): WebTX {
  if (body === undefined) return {};
  if (!isPlainObject(body)) throw badRequest('Request body must be a JSON object (a WebTX)');
  const check = new FieldChecker(400, body);
  const webTx: WebTX = {};
  const message = check.string('message', { max: 1024 });
  if (message !== undefined) webTx.message = message;
  const connectwise = check.string('connectwise', { max: 64 });
  if (connectwise !== undefined) webTx.connectwise = connectwise;
  return webTx;
}

/** Optional `TagsRequest` body: `{ tags: { name: value } }`; a missing body or `tags` means no tags. */
export function parseTags(body: unknown): Record<string, string> {
  if (body === undefined) return {};
  if (!isPlainObject(body)) throw badRequest('Request body must be a JSON object (a TagsRequest)');
  if (body.tags === undefined) return {};
  if (!isPlainObject(body.tags)) throw badRequest('tags must be an object of string values', 'tags');
  const tags: Record<string, string> = {};
  for (const [name, value] of Object.entries(body.tags)) {
    if (typeof value !== 'string') throw badRequest(`tags.${name} must be a string`, 'tags');
    tags[name] = value;
  }
  return tags;
}
