/**
 * The shared table of field edge inputs (`test/support/field-edges.ts`)
 * through the rules module itself, the SendAuth client (what it sends to a
 * real emulator, or that it refuses before sending), and the emulator over
 * HTTP with the form our side sends: our side and the emulator (which keeps
 * its own rules, as SendAuth does) take exactly the same inputs, except where
 * the table says why we are stricter on purpose.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { SendAuthClient } from '../../src/api/index.js';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { normalizeEmail, normalizeName, normalizeUsername, type NormalizedField } from '../../src/field-rules.js';
import { EMAIL_EDGES, fill, fillExpected, NAME_EDGES, token, USERNAME_EDGES, type FieldEdge } from '../support/field-edges.js';
import { PASSWORD, rejectsWith, USERNAME } from './helpers.js';

let emu: RunningEmulator;
let client: SendAuthClient;
const sent: string[] = [];

before(async () => {
  emu = await startEmulator({ port: 0, username: USERNAME, password: PASSWORD });
  const recording: typeof fetch = (input, init) => {
    sent.push(input instanceof Request ? input.url : String(input));
    return fetch(input, init);
  };
  client = new SendAuthClient({ baseUrl: emu.url, username: USERNAME, password: PASSWORD, fetch: recording });
});
after(() => emu.close());

type Field = 'firstName' | 'email';
const TABLES: Array<{ field: Field; edges: readonly FieldEdge[]; normalize: (raw: string) => NormalizedField }> = [
  { field: 'firstName', edges: NAME_EDGES, normalize: normalizeName },
  { field: 'email', edges: EMAIL_EDGES, normalize: normalizeEmail },
];

/** A user body with one field from the table and the others plain. */
function userWith(field: Field, value: string, u: string) {
  return { firstName: 'Ada', lastName: 'Lovelace', email: `plain.${u}@example.com`, [field]: value };
}

describe('field-rules.ts: the table is what the rules say', () => {
  for (const [name, edges, normalize] of [
    ['names', NAME_EDGES, normalizeName],
    ['emails', EMAIL_EDGES, normalizeEmail],
    ['usernames', USERNAME_EDGES, normalizeUsername],
  ] as const) {
    test(name, () => {
      for (const edge of edges) {
        const u = token();
        const { value, problem } = normalize(fill(edge.input, u));
        const expected = fillExpected(edge.expect, u);
        assert.deepEqual('value' in expected ? { value } : { problem }, expected, edge.what);
      }
    });
  }
});

for (const { field, edges, normalize } of TABLES) {
  describe(`${field}: every edge through the SendAuth client and the emulator`, () => {
    test('the client sends the one form, or refuses before sending', async () => {
      for (const edge of edges) {
        const u = token();
        const expected = fillExpected(edge.expect, u);
        const input = userWith(field, fill(edge.input, u), u);
        if ('value' in expected) {
          const user = await client.createUser(input);
          assert.equal(user[field], expected.value, edge.what);
          assert.equal((await client.getUser(user.id!))[field], expected.value, `${edge.what}: stored`);
        } else {
          sent.length = 0;
          await rejectsWith(client.createUser(input), { code: 'invalid-request', status: 0, message: new RegExp(`user\\.${field}`) });
          assert.deepEqual(sent, [], `${edge.what}: nothing sent`);
        }
      }
    });

    test('the emulator over HTTP takes the form our side sends exactly when our side does', async () => {
      const drift: string[] = [];
      for (const edge of edges) {
        const u = token();
        const wireForm = normalize(fill(edge.input, u)).value;
        const answer = await fetch(`${emu.url}/api/v1/users`, {
          method: 'POST',
          headers: { authorization: `Basic ${btoa(`${USERNAME}:${PASSWORD}`)}`, 'content-type': 'application/json' },
          body: JSON.stringify(userWith(field, wireForm, u)),
        });
        const body = (await answer.json()) as { error?: string; field?: string };
        const oursTakes = 'value' in edge.expect;
        const emulatorShouldTake = oursTakes || edge.stricter !== undefined;
        if ((answer.status === 201) !== emulatorShouldTake) {
          drift.push(`${edge.what}: ours ${oursTakes ? 'takes' : 'refuses'} ${JSON.stringify(wireForm).slice(0, 60)}, emulator ${answer.status} ${JSON.stringify(body)}`);
        }
        if (answer.status !== 201) assert.equal(body.field, field, `${edge.what}: the emulator names the field`);
      }
      assert.deepEqual(drift, []);
    });
  });
}
