// No sticky sessions on PostgreSQL: a login stored by host A answers on host B at the client's very next
// request, even before B has heard of it through the database's notification (a load balancer may send that
// request to B a millisecond after A answered). B looks a token it does not know up in the database once.
import { after, before, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { createStore, type Store } from '../../../server/store/index.js';
import { SessionManager } from '../../../server/auth/sessions.js';
import type { AuthConfig, ConnectorConfig } from '../../../server/manifest/types.js';
import { captureLog } from './helpers.js';
import { postgresSkipReason, startPostgres, type PostgresCluster } from '../../helpers/postgres.js';

const skip = postgresSkipReason();
let cluster: PostgresCluster | undefined;
before(async () => {
  if (!skip) cluster = await startPostgres();
});
after(() => cluster?.destroy());

const connectors: Record<string, ConnectorConfig> = { session: { type: 'lowdb' }, users: { type: 'lowdb', initialState: { items: [] } } };
const auth = { userConnector: 'users', identityField: 'login', passwordField: 'passwordHash' } as AuthConfig;

async function host(t: TestContext, database: string): Promise<{ store: Store; sessions: SessionManager }> {
  const store = await createStore({ connectors, dataDir: '/nonexistent', log: captureLog(), database });
  t.after(() => store.close());
  const sessions = new SessionManager(store, auth);
  await sessions.load();
  return { store, sessions };
}

test("a login on host A answers on host B at once, before B's notification of it", { skip }, async (t) => {
  const database = await cluster!.createDatabase();
  const a = await host(t, database);
  const b = await host(t, database);
  // no notification can have been taken in between: B answers in the same turn of the event loop as A's login
  const token = await a.sessions.create('alice', 'alice', 'till-1');
  const onB = await b.sessions.resolveShared(token, 'till-1');
  assert.equal(onB?.login, 'alice', 'host B did not know the session host A had stored');
  // still bound to its terminal on B
  const elsewhere = await b.sessions.resolveShared(token, 'till-2');
  assert.equal(elsewhere, null);
});

test('a token no host knows is looked up in the database once a second at most', { skip }, async (t) => {
  const database = await cluster!.createDatabase();
  const b = await host(t, database);
  let lookups = 0;
  const catchUp = b.store.catchUp!.bind(b.store);
  b.store.catchUp = async (name, scopeKey) => {
    lookups += 1;
    await catchUp(name, scopeKey);
  };
  for (let i = 0; i < 20; i++) assert.equal(await b.sessions.resolveShared('stale-cookie-token', 'till-1'), null);
  assert.equal(lookups, 1);
});
