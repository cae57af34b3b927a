// A chain of shops against a real PostgreSQL head office: two shop hosts (child processes, killed with -9)
// sell through cut links (a TCP proxy between each shop and head office) and a head-office restart; after the
// links heal, head office holds every acknowledged sale exactly once (count = count distinct id) and each
// shop's totals equal its own journal. A head office restored from an older backup is sent what it lacks.
// Each shop's PostgreSQL role may add only its own records (row-level security).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { fixtures } from '../helpers/host.js';
import { TestTerminal } from '../helpers/http-client.js';
import { postgresSkipReason, startPostgres, type PostgresCluster } from '../helpers/postgres.js';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.js';
import { waitFor } from '../helpers/wait.js';
import { startHostProcess, type HostProcess } from '../helpers/host-process.js';
import { addShop, putCatalogueItem, setUpHeadOffice } from '../../server/chain/head-office.js';

const appDir = path.join(fixtures, 'chain-shop');
const skip = postgresSkipReason();

interface Shop {
  id: string;
  password: string;
  dataDir: string;
  proxy: TcpProxy;
  host: HostProcess | null;
  url: string;
  acknowledged: Array<{ n: number; sum: number }>;
}

describe('a chain of shops: every sale reaches head office exactly once', { skip }, () => {
  let cluster: PostgresCluster;
  let hq: string;
  const shops: Shop[] = [];
  const children = new Set<ChildProcess>();

  const shopUrl = (shop: Shop) => {
    const url = new URL(hq);
    url.username = `shop_${shop.id}`;
    url.password = shop.password;
    url.port = String(shop.proxy.port);
    return url.toString();
  };

  async function startShop(shop: Shop): Promise<void> {
    // the URL carries the shop's password: from the environment, never a command line
    const host = await startHostProcess([appDir, '--port', '0', '--data', shop.dataDir, '--shop', shop.id], {
      env: { ...process.env, SERVEROKEY_CHAIN_URL: shopUrl(shop) },
    });
    children.add(host.child);
    host.child.once('exit', () => children.delete(host.child));
    shop.url = host.url;
    shop.host = host;
  }

  async function killShop(shop: Shop): Promise<void> {
    await shop.host!.kill();
    shop.host = null;
  }

  async function sell(shop: Shop, n: number): Promise<void> {
    const till = await new TestTerminal(shop.url).open('/');
    const sum = 100 + n;
    const answer = await till.action('/sell', { n, sum });
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    shop.acknowledged.push({ n, sum });
  }

  const admin = async <T>(fn: (client: pg.Client) => Promise<T>): Promise<T> => {
    const client = new pg.Client({ connectionString: hq });
    await client.connect();
    try {
      return await fn(client);
    } finally {
      await client.end();
    }
  };

  const atHeadOffice = (shop: string) =>
    admin(async (client) => {
      const { rows } = await client.query(
        "SELECT count(*)::int AS count, count(DISTINCT uid)::int AS ids, coalesce(sum((record->>'sum')::int), 0)::int AS total FROM serverokey_chain_records WHERE shop = $1",
        [shop],
      );
      return rows[0] as { count: number; ids: number; total: number };
    });

  before(async () => {
    cluster = await startPostgres();
    hq = await cluster.createDatabase();
    await setUpHeadOffice(hq);
    for (const id of ['north', 'south']) {
      const password = `pw-${id}-0123456789`;
      await addShop(hq, id, password);
      shops.push({ id, password, dataDir: await mkdtemp(path.join(os.tmpdir(), `sok-shop-${id}-`)), proxy: await startTcpProxy(cluster.port), host: null, url: '', acknowledged: [] });
    }
  });

  after(async () => {
    for (const child of children) child.kill('SIGKILL');
    for (const shop of shops) await shop.proxy.close();
    await cluster?.destroy();
  });

  it('cut links, a shop killed mid-upload, a head-office restart: afterwards every sale is there once', async () => {
    for (const shop of shops) await startShop(shop);
    const [north, south] = shops;
    const TOTAL = 60;
    await Promise.all(
      shops.map(async (shop) => {
        for (let n = 1; n <= TOTAL; n++) {
          await sell(shop, n);
          // the faults, at points of the stream (not at times): links cut and restored, a kill -9, a restart
          if (n === 10) await shop.proxy.cut();
          if (n === 25) await shop.proxy.heal();
          if (shop === north && n === 30) {
            await killShop(north);
            await startShop(north);
          }
          if (shop === south && n === 40) {
            await cluster.stop();
            await cluster.start();
          }
          if (n === 45) await shop.proxy.cut();
          if (n === 52) await shop.proxy.heal();
        }
      }),
    );
    // links healed: each shop's records arrive by themselves
    for (const shop of [north, south]) {
      const local = shop.acknowledged.reduce((sum, sale) => sum + sale.sum, 0);
      const held = await waitFor(async () => {
        const at = await atHeadOffice(shop.id).catch(() => null);
        return at && at.count >= TOTAL ? at : null;
      }, `head office to hold shop ${shop.id}'s ${TOTAL} sales`, 60_000);
      assert.equal(held.count, TOTAL, `shop ${shop.id}: head office holds ${held.count} records for ${TOTAL} sales`);
      assert.equal(held.ids, held.count, `shop ${shop.id}: a sale is there twice`);
      assert.equal(held.total, local, `shop ${shop.id}: head office's total is not the shop's`);
      const journal = (await readFile(path.join(shop.dataDir, 'sales.jsonl'), 'utf8')).split('\n').filter(Boolean);
      assert.equal(journal.length, TOTAL);
      assert.ok(journal.every((line) => /"uid":"[0-9a-f-]{36}"/.test(line)), 'a journal record has no id made at the till');
    }
  });

  it('a head office restored from an older backup is sent again what it lacks (the cursor is checked, not trusted)', async () => {
    const [north] = shops;
    await admin((client) => client.query("DELETE FROM serverokey_chain_records WHERE shop = 'north' AND seq >= 20"));
    assert.equal((await atHeadOffice('north')).count, 20);
    // the shop notices when it next connects (a restart here; a cut link does the same)
    await killShop(north);
    await startShop(north);
    await sell(north, 61);
    const held = await waitFor(async () => {
      const at = await atHeadOffice('north');
      return at.count >= 61 ? at : null;
    }, 'head office to get back what its restore lost', 60_000);
    assert.equal(held.count, 61);
    assert.equal(held.ids, 61);
  });

  it('the catalogue and prices come from head office: every shop gets changes within seconds, a shop its own price', async () => {
    const [north, south] = shops;
    await putCatalogueItem(hq, '1', { id: 1, name: 'Чай', price: 15000 });
    await putCatalogueItem(hq, '2', { id: 2, name: 'Хлеб', price: 4550 });
    await putCatalogueItem(hq, '2', { id: 2, name: 'Хлеб', price: 4990 }, 'north'); // north's own price
    const page = (shop: Shop) => new TestTerminal(shop.url).get('/').then((answer) => answer.text);
    // pulled at once on head office's notification (the wait is a bound, not a pause)
    await waitFor(async () => /Чай: 15000/.test(await page(south)) && /Хлеб: 4550/.test(await page(south)), 'south to get the catalogue', 15_000);
    await waitFor(async () => /Хлеб: 4990/.test(await page(north)) && /Чай: 15000/.test(await page(north)), 'north to get its own price', 15_000);
    await putCatalogueItem(hq, '1', { id: 1, name: 'Чай', price: 16000 });
    await putCatalogueItem(hq, '2', null); // withdrawn for every shop; north keeps its own line
    await waitFor(async () => /Чай: 16000/.test(await page(south)) && !/Хлеб/.test(await page(south)), 'south to get the new price and lose the bread', 15_000);
    await waitFor(async () => /Чай: 16000/.test(await page(north)) && /Хлеб: 4990/.test(await page(north)), 'north to keep its own bread', 15_000);
    // a shop cannot change the catalogue
    const url = new URL(hq);
    url.username = 'shop_north';
    url.password = north.password;
    const client = new pg.Client({ connectionString: url.toString() });
    await client.connect();
    try {
      await assert.rejects(client.query("UPDATE serverokey_chain_catalogue SET item = '{}'"), /permission denied/);
      await assert.rejects(client.query("INSERT INTO serverokey_chain_catalogue (item_id, item) VALUES ('9', '{}')"), /permission denied/);
    } finally {
      await client.end();
    }
  });

  it("a shop's role may add only its own records: another shop's sale, a change or a deletion is refused by PostgreSQL", async () => {
    const [north] = shops;
    const url = new URL(hq);
    url.username = 'shop_north';
    url.password = north.password;
    const client = new pg.Client({ connectionString: url.toString() });
    await client.connect();
    try {
      await assert.rejects(
        client.query("INSERT INTO serverokey_chain_records (uid, shop, journal, seq, record) VALUES ('018f0000-0000-7000-8000-000000000001', 'south', 'sales', 999, '{}')"),
        /row-level security/,
      );
      await assert.rejects(client.query("UPDATE serverokey_chain_records SET record = '{}' WHERE shop = 'north'"), /permission denied/);
      await assert.rejects(client.query("DELETE FROM serverokey_chain_records WHERE shop = 'north'"), /permission denied/);
      const { rows } = await client.query("SELECT count(*)::int AS count FROM serverokey_chain_records WHERE shop = 'south'");
      assert.equal(rows[0].count, 0, "a shop can read another shop's sales");
    } finally {
      await client.end();
    }
  });
});
