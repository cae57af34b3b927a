// The app's own SQL on a real PostgreSQL (test/fixtures/sql-app over a table of the test's own): a view's
// sql step reads with bound parameters and cannot write (READ ONLY), an action's writes and answers 409 for
// a constraint and 400 for a bad value with nothing stored, a NOTIFY from anyone reaches a `listen`
// channel's subscribers, and an app with such a channel needs a database. (An export from a query, which
// needs a login, is tested with apps/hq in hq.test.ts.)
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import pg from 'pg';
import { fixtures, startHost, type TestHost } from '../helpers/host.js';
import { TestTerminal } from '../helpers/http-client.js';
import { postgresSkipReason, startPostgres, type PostgresCluster } from '../helpers/postgres.js';

const skip = postgresSkipReason();
const appDir = path.join(fixtures, 'sql-app');

describe('the sql step and listen channels', { skip }, () => {
  let cluster: PostgresCluster;
  let database: string;
  let host: TestHost;

  const sql = async (text: string, params: unknown[] = []) => {
    const client = new pg.Client({ connectionString: database });
    await client.connect();
    try {
      return (await client.query(text, params)).rows;
    } finally {
      await client.end();
    }
  };

  before(async () => {
    cluster = await startPostgres();
    database = await cluster.createDatabase();
    await sql('CREATE TABLE notes (id int PRIMARY KEY, body text NOT NULL, created_at timestamptz NOT NULL DEFAULT now())');
    await sql("INSERT INTO notes (id, body) VALUES (1, 'первая'), (2, 'вторая; с точкой с запятой')");
    host = await startHost(appDir, { database });
  });

  after(async () => {
    await host?.stop();
    await cluster?.destroy();
  });

  it('a view reads with bound parameters (a quote in the search is only text) and its rows reach the template', async () => {
    const page = new TestTerminal(host.url);
    const all = await page.get('/');
    assert.equal(all.status, 200);
    assert.match(all.text, /<li data-id="1" data-at="\d{4}-\d{2}-\d{2}T[^"]+Z">первая<\/li>/);
    const found = await page.get(`/?q=${encodeURIComponent('втор')}`);
    assert.doesNotMatch(found.text, /первая/);
    assert.match(found.text, /вторая/);
    assert.equal((await page.get(`/?q=${encodeURIComponent("' OR 1=1 --")}`)).status, 200);
    assert.doesNotMatch((await page.get(`/?q=${encodeURIComponent("' OR 1=1 --")}`)).text, /<li/);
  });

  it('a view cannot write: its statement runs READ ONLY', async () => {
    const page = new TestTerminal(host.url);
    const answer = await page.get('/sneaky');
    assert.equal(answer.status, 500);
    assert.deepEqual(await sql('SELECT id FROM notes WHERE id = 999'), []);
  });

  it('a table that is not there is named on the page (outside debug mode too)', async () => {
    const answer = await new TestTerminal(host.url).get('/missing', { accept: 'application/json' });
    assert.equal(answer.status, 500);
    assert.match(answer.text, /В базе данных нет таблицы: relation \\?"nowhere\\?" does not exist/);
  });

  it('an action writes; a constraint answers 409 and a bad value 400, with nothing stored', async () => {
    const page = await new TestTerminal(host.url).open('/');
    const added = await page.action('/add', { id: '3', body: 'третья' });
    assert.equal(added.status, 200, JSON.stringify(added.body));
    assert.match(added.body.html ?? JSON.stringify(added.body), /третья/);
    const twice = await page.action('/add', { id: '3', body: 'снова' });
    assert.equal(twice.status, 409);
    assert.match(twice.body.error.message, /notes_pkey/);
    const bad = await page.action('/add', { id: 'три', body: 'x' });
    assert.equal(bad.status, 400);
    assert.deepEqual((await sql('SELECT id, body FROM notes ORDER BY id')).map((row) => row.body), ['первая', 'вторая; с точкой с запятой', 'третья']);
  });

  it("a NOTIFY from anyone reaches the listen channel's subscribers", async (t) => {
    const page = await new TestTerminal(host.url).open('/');
    const socket = await page.socket();
    t.after(() => socket.close());
    assert.equal((await socket.subscribe('notes-feed')).type, 'subscribed');
    await sql("SELECT pg_notify('notes_changed', 'from another program')");
    const frame = await socket.next((f) => f.event === 'notes-changed');
    assert.equal(frame.channel, 'notes-feed');
  });

  it('an app whose channel listens to PostgreSQL does not start without a database, and says why', async () => {
    await assert.rejects(startHost(appDir), /listen to PostgreSQL notifications: serve the app with --database/);
  });
});
