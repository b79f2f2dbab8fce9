/** The Users API (UsersApi.md): every operation with its documented statuses. */
import { randomUUID } from 'node:crypto';
import type { UserInput } from '../../types.js';
import { EmulatorError, notFound } from '../errors.js';
import { route, readJson, readRequiredJson, type EmulatorApp, type EmulatorContext, type EmulatorDeps } from '../http.js';
import type { StoredUser } from '../model.js';
import { paginate } from '../paginate.js';
import type { EmulatorStore } from '../store.js';
import { completeTransaction, newTransaction, toPublicTransaction, transactionMatchesQuery, transactionState } from '../transactions.js';
import { applyUserInput, deriveUsername, toPublicUser, userHasPermission, userMatchesQuery } from '../users.js';
import { parseListQuery, type ListQuery } from '../query.js';
import { parseIdParam, parseTags, parseUserInput, parseWebTx } from '../validate.js';

const USER_NOT_FOUND = 'User not found';

export function registerUserRoutes(app: EmulatorApp, deps: EmulatorDeps): void {
  const { store } = deps;

  const liveUser = (c: EmulatorContext): StoredUser => {
    const user = store.findLiveUser(parseIdParam(c.req.param('userID'), 'userID'));
    if (user === undefined) throw notFound(USER_NOT_FOUND);
    return user;
  };
  const deletedUser = (c: EmulatorContext): StoredUser => {
    const user = store.findDeletedUser(parseIdParam(c.req.param('userID'), 'userID'));
    if (user === undefined) throw notFound('Deleted user not found');
    return user;
  };

  // Registered before `/users/:userID` so `deleted` is never taken for an id.
  route(app, '/api/v1/users/deleted', {
    GET: (c) => {
      const params = parseListQuery('listDeletedUsers', c.req.query());
      const rows = filterUsers(store.deletedUsers(), params);
      return c.json(paginateUsers(rows, params));
    },
  });

  route(app, '/api/v1/users/deleted/:userID', {
    PUT: async (c) => {
      const user = deletedUser(c);
      // Someone may have signed up with the same email while this user was deleted.
      refuseDuplicate(store, user, user.id);
      delete user.deletedAt;
      store.audit(user, 'restore', c.var.actor);
      await store.save();
      return c.body(null, 200);
    },
    DELETE: async (c) => {
      const user = deletedUser(c);
      store.destroyUser(user.id);
      await store.save();
      return c.body(null, 200);
    },
  });

  route(app, '/api/v1/users', {
    GET: (c) => {
      const params = parseListQuery('listUsers', c.req.query());
      const { sortBy, sortDir } = params;
      const direction = sortDir === 'asc' ? 1 : -1;
      const rows = filterUsers(store.liveUsers(), params).sort(
        (a, b) => direction * (a[sortBy] ?? '').localeCompare(b[sortBy] ?? '', 'en', { sensitivity: 'base' }),
      );
      return c.json(paginateUsers(rows, params));
    },
    POST: async (c) => {
      const input = parseUserInput(await readRequiredJson(c), 400);
      refuseSuperAdmin(input);
      refuseDuplicate(store, input, undefined);
      const user: StoredUser = {
        id: randomUUID(),
        username: deriveUsername(input),
        firstName: input.firstName,
        lastName: input.lastName,
        hasPasskeys: false,
        createdAt: store.nowIso(),
        tags: {},
      };
      applyUserInput(user, input);
      store.addUser(user);
      store.audit(user, 'create', c.var.actor);
      await store.save();
      return c.json(toPublicUser(user), 201);
    },
  });

  route(app, '/api/v1/users/:userID', {
    GET: (c) => c.json(toPublicUser(liveUser(c))),
    PUT: async (c) => {
      const user = liveUser(c);
      const input = parseUserInput(await readRequiredJson(c), 422);
      refuseSuperAdmin(input);
      refuseDuplicate(store, input, user.id);
      applyUserInput(user, input);
      store.audit(user, 'update', c.var.actor);
      await store.save();
      return c.json(toPublicUser(user));
    },
    DELETE: async (c) => {
      const user = liveUser(c);
      if (user.id === store.accountUserId) throw new EmulatorError(403, { error: 'Cannot delete own account' });
      user.deletedAt = store.nowIso();
      // A deleted user can no longer finish a ceremony.
      for (const tx of store.transactionsOf(user.id)) {
        if (transactionState(tx, store.now()) === 'pending') completeTransaction(tx, 'cancelled', store.now());
      }
      store.audit(user, 'delete', c.var.actor);
      await store.save();
      return c.body(null, 200);
    },
  });

  route(app, '/api/v1/users/:userID/tags', {
    PUT: async (c) => {
      const user = liveUser(c);
      user.tags = parseTags(await readJson(c));
      store.audit(user, 'tags', c.var.actor, user.tags);
      await store.save();
      return c.body(null, 200);
    },
  });

  route(app, '/api/v1/users/:userID/transactions', {
    GET: (c) => {
      const user = liveUser(c);
      const { page, perPage, q } = parseListQuery('getUserTransactions', c.req.query());
      const now = store.now();
      let rows = store.transactionsOf(user.id);
      if (q !== undefined) rows = rows.filter((tx) => transactionMatchesQuery(tx, q, now));
      const result = paginate(rows, page, perPage);
      return c.json({ rows: result.rows.map((tx) => toPublicTransaction(tx, now)), total: result.total });
    },
  });

  route(app, '/api/v1/users/:userID/audits', {
    GET: (c) => {
      const user = liveUser(c);
      const { page, perPage, q } = parseListQuery('getUserAudits', c.req.query());
      let rows = store.auditsOf(user.id);
      if (q !== undefined) {
        const needle = q.toLowerCase();
        rows = rows.filter((a) => [a.action, a.name].some((v) => v !== undefined && v.toLowerCase().includes(needle)));
      }
      return c.json(paginate(rows, page, perPage));
    },
  });

  route(app, '/api/v1/users/:userID/register', {
    POST: async (c) => {
      const user = liveUser(c);
      if (user.hasPasskeys) throw new EmulatorError(406, { error: 'User already has passkeys' });
      const tx = newTransaction({ kind: 'registration', user, requestor: c.var.actor, now: store.now(), ttlMs: deps.txTtlMs });
      store.addTransaction(tx);
      store.audit(user, 'register-start', c.var.actor, { tx: tx.id });
      await store.save();
      return c.json({ tx: tx.id }, 201);
    },
  });

  route(app, '/api/v1/users/:userID/authenticate', {
    POST: async (c) => {
      const user = liveUser(c);
      const webTx = parseWebTx(await readJson(c));
      if (!user.hasPasskeys) throw new EmulatorError(406, { error: 'User has no passkeys' });
      const tx = newTransaction({ kind: 'authentication', user, requestor: c.var.actor, now: store.now(), ttlMs: deps.txTtlMs, webTx });
      store.addTransaction(tx);
      store.audit(user, 'authenticate-start', c.var.actor, { tx: tx.id });
      await store.save();
      return c.json({ tx: tx.id }, 201);
    },
  });

  route(app, '/api/v1/users/:userID/passkey', {
    DELETE: async (c) => {
      const user = liveUser(c);
      const removed = store.removePasskeysOf(user.id);
      user.hasPasskeys = false;
      store.audit(user, 'passkey-removed', c.var.actor, { count: String(removed) });
      await store.save();
      return c.body(null, 200);
    },
  });
}

function filterUsers(users: StoredUser[], { q, permission }: ListQuery): StoredUser[] {
  return users.filter(
    (u) => (q === undefined || userMatchesQuery(u, q)) && (permission === undefined || userHasPermission(u, permission)),
  );
}

function paginateUsers(rows: StoredUser[], { page, perPage }: ListQuery) {
  const result = paginate(rows, page, perPage);
  return { rows: result.rows.map(toPublicUser), total: result.total };
}

/** The API account is an admin: it cannot hand out a higher role than its own. */
function refuseSuperAdmin(input: UserInput): void {
  if (input.role === 'super_admin') throw new EmulatorError(403, { error: 'Insufficient permissions' });
}

/** 422 when another live user has the same e-mail (case-insensitive) or would get the same username. */
function refuseDuplicate(store: EmulatorStore, input: UserInput, selfId: string | undefined): void {
  const email = input.email?.toLowerCase();
  const username = deriveUsername(input);
  for (const other of store.liveUsers()) {
    if (other.id === selfId) continue;
    if (email !== undefined && other.email?.toLowerCase() === email) {
      throw new EmulatorError(422, { error: 'User already exists: a user with this email exists', field: 'email' });
    }
    if (selfId === undefined && other.username === username) {
      throw new EmulatorError(422, { error: `User already exists: username ${username} is taken`, field: 'username' });
    }
  }
}
