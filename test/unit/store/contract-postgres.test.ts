// The Store contract (contract.ts) on the PostgreSQL store: a throwaway cluster, one database per test.
import { after, before } from 'node:test';
import { createStore } from '../../../server/store/index.js';
import { storeContract } from './contract.js';
import { captureLog } from './helpers.js';
import { postgresSkipReason, startPostgres, type PostgresCluster } from '../../helpers/postgres.js';

const skip = postgresSkipReason();
let cluster: PostgresCluster | undefined;
before(async () => {
  if (!skip) cluster = await startPostgres();
});
after(() => cluster?.destroy());

storeContract({
  name: 'postgres',
  skip,
  fresh: () => cluster!.createDatabase(),
  async open(t, database, connectors, log = captureLog()) {
    const store = await createStore({ connectors, dataDir: '/nonexistent', log, database });
    t.after(() => store.close());
    return store;
  },
});
