/** The user record as SendAuth shows it, and the rules for its derived fields. */
import type { User, UserInput } from '../types.js';
import type { StoredUser } from './model.js';

/** `username`: the e-mail lowercased if there is one, else `firstname.lastname` lowercased. */
export function deriveUsername(input: Pick<UserInput, 'email' | 'firstName' | 'lastName'>): string {
  return input.email !== undefined ? input.email.toLowerCase() : `${input.firstName}.${input.lastName}`.toLowerCase();
}

/** "First Last": the `name` of audits, `subjectName` of transactions, WebAuthn display name. */
export function displayName(user: Pick<StoredUser, 'firstName' | 'lastName'>): string {
  return `${user.firstName} ${user.lastName}`;
}

/** Copies the writable fields of `input` onto `user`, replacing them all (a PUT replaces the writable fields). */
export function applyUserInput(user: StoredUser, input: UserInput): void {
  user.firstName = input.firstName;
  user.lastName = input.lastName;
  for (const field of ['role', 'email', 'phone', 'company', 'permissions', 'groupPermissions', 'permissionGroups', 'messagingPreference'] as const) {
    if (input[field] === undefined) delete user[field];
    else Object.assign(user, { [field]: structuredClone(input[field]) });
  }
}

/** The public `User`: everything but the emulator's own bookkeeping (deletion time, tags). */
export function toPublicUser(user: StoredUser): User {
  const { deletedAt: _deletedAt, tags: _tags, ...visible } = user;
  return structuredClone(visible);
}

/** Case-insensitive substring match of `q` over firstName, lastName, email, username. */
export function userMatchesQuery(user: StoredUser, q: string): boolean {
  const needle = q.toLowerCase();
  return [user.firstName, user.lastName, user.email, user.username].some((v) => v !== undefined && v.toLowerCase().includes(needle));
}

/** The user has `permission` directly or through a group. */
export function userHasPermission(user: StoredUser, permission: string): boolean {
  return (user.permissions ?? []).includes(permission) || (user.groupPermissions ?? []).includes(permission);
}
