/**
 * The shape of a loaded data file, checked field by field against
 * `model.ts` before the emulator serves anything from it, so a hand-edited
 * or foreign file is refused at start with the path of the bad value
 * (`users[3].firstName must be a string, got 42`) instead of answering 500
 * later. Keys the model does not know are left alone (a newer emulator's
 * fields); a field the model gains belongs in `STATE` below too.
 */
import { AUDIT_ACTIONS, type EmulatorState } from './model.js';

/** Reports every problem it finds under `path` into `problems`. */
type Check = (value: unknown, path: string, problems: string[]) => void;

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return value.length > 40 ? 'a string' : JSON.stringify(value);
  if (typeof value === 'object') return 'an object';
  return typeof value === 'number' || typeof value === 'boolean' ? String(value) : typeof value;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

const string: Check = (value, path, problems) => {
  if (typeof value !== 'string') problems.push(`${path} must be a string, got ${describe(value)}`);
};
const boolean: Check = (value, path, problems) => {
  if (typeof value !== 'boolean') problems.push(`${path} must be true or false, got ${describe(value)}`);
};
const counter: Check = (value, path, problems) => {
  if (!Number.isSafeInteger(value) || (value as number) < 0) problems.push(`${path} must be an integer ≥ 0, got ${describe(value)}`);
};
/** An ISO 8601 time as the emulator writes it (`Date#toISOString`); read by `Date.parse`. */
const time: Check = (value, path, problems) => {
  if (typeof value !== 'string' || !/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/.test(value) || Number.isNaN(Date.parse(value))) {
    problems.push(`${path} must be an ISO 8601 UTC time, got ${describe(value)}`);
  }
};
const oneOf =
  (...allowed: readonly (string | number)[]): Check =>
  (value, path, problems) => {
    if (!allowed.includes(value as string | number)) problems.push(`${path} must be one of ${allowed.join(', ')}, got ${describe(value)}`);
  };
const optional =
  (check: Check): Check =>
  (value, path, problems) => {
    if (value !== undefined) check(value, path, problems);
  };
const arrayOf =
  (check: Check): Check =>
  (value, path, problems) => {
    if (!Array.isArray(value)) problems.push(`${path} must be an array, got ${describe(value)}`);
    else value.forEach((item, index) => check(item, `${path}[${index}]`, problems));
  };
/** An object of string values (tags, audit extras). */
const stringRecord: Check = (value, path, problems) => {
  if (!isObject(value)) problems.push(`${path} must be an object of strings, got ${describe(value)}`);
  else for (const [key, item] of Object.entries(value)) string(item, `${path}.${key}`, problems);
};
const object =
  (fields: Record<string, Check>): Check =>
  (value, path, problems) => {
    if (!isObject(value)) {
      problems.push(`${path} must be an object, got ${describe(value)}`);
      return;
    }
    for (const [field, check] of Object.entries(fields)) check(value[field], path === '' ? field : `${path}.${field}`, problems);
  };

const USER = object({
  id: string,
  username: string,
  firstName: string,
  lastName: string,
  role: optional(oneOf('admin', 'user', 'super_admin')),
  email: optional(string),
  phone: optional(string),
  company: optional(object({ id: optional(string), orgID: optional(string), name: optional(string), createdAt: optional(string) })),
  permissions: optional(arrayOf(string)),
  groupPermissions: optional(arrayOf(string)),
  permissionGroups: optional(arrayOf(string)),
  messagingPreference: optional(oneOf('email', 'sms', 'both')),
  hasPasskeys: boolean,
  createdAt: time,
  lastAuthenticated: optional(time),
  deletedAt: optional(time),
  tags: stringRecord,
});

const PASSKEY = object({
  id: string,
  userId: string,
  publicKey: string,
  counter,
  transports: optional(arrayOf(string)),
  createdAt: time,
});

const CEREMONY = object({
  kind: oneOf('registration', 'authentication'),
  challenge: string,
  options: object({ challenge: string }),
});

const TRANSACTION = object({
  id: string,
  kind: oneOf('registration', 'authentication'),
  subject: string,
  subjectName: string,
  state: oneOf('pending', 'verified', 'denied', 'cancelled'),
  requestor: string,
  createdAt: time,
  expiresAt: time,
  completedAt: optional(time),
  message: optional(string),
  connectwise: optional(string),
  ceremony: optional(CEREMONY),
  notification: optional(
    object({ secret: string, channels: arrayOf(oneOf('email', 'sms')), email: optional(string), phone: optional(string) }),
  ),
});

const AUDIT = object({
  subject: string,
  name: optional(string),
  type: optional(string),
  actor: optional(string),
  action: oneOf(...AUDIT_ACTIONS),
  extras: optional(stringRecord),
  created_at: time,
});

const STATE = object({
  version: oneOf(1),
  accountUserId: string,
  users: arrayOf(USER),
  passkeys: arrayOf(PASSKEY),
  transactions: arrayOf(TRANSACTION),
  audits: arrayOf(AUDIT),
});

/** Ids that must be unique within their collection, and the account user that must exist. */
function checkReferences(state: EmulatorState, problems: string[]): void {
  for (const [name, rows] of [
    ['users', state.users],
    ['passkeys', state.passkeys],
    ['transactions', state.transactions],
  ] as const) {
    const seen = new Map<string, number>();
    rows.forEach((row, index) => {
      const first = seen.get(row.id);
      if (first !== undefined) problems.push(`${name}[${index}].id repeats ${name}[${first}].id (${JSON.stringify(row.id)})`);
      else seen.set(row.id, index);
    });
  }
  if (!state.users.some((user) => user.id === state.accountUserId && user.deletedAt === undefined)) {
    problems.push(`accountUserId ${JSON.stringify(state.accountUserId)} must be the id of a user that is not deleted`);
  }
}

/** Shown at most; the rest are counted. */
const MAX_LISTED = 5;

/**
 * `value` as an `EmulatorState`, or an `Error` whose message names the file
 * and the first problems by path (e.g. `users[0] must be an object, got null`).
 */
export function checkState(value: unknown, file: string): EmulatorState {
  const problems: string[] = [];
  STATE(value, '', problems);
  if (problems.length === 0) checkReferences(value as EmulatorState, problems);
  if (problems.length === 0) return value as EmulatorState;
  const listed = problems.slice(0, MAX_LISTED).join('; ');
  const more = problems.length > MAX_LISTED ? ` (and ${problems.length - MAX_LISTED} more)` : '';
  throw new Error(`Emulator data file ${file} is not a valid emulator state (version 1): ${listed}${more}. It was left as it is; fix it, or start with another --data-file.`);
}
