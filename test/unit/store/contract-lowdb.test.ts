// The Store contract (contract.ts) on the lowdb file store.
import { createStore } from '../../../server/store/index.js';
import { storeContract } from './contract.js';
import { captureLog, tempDir } from './helpers.js';

storeContract({
  name: 'lowdb',
  fresh: (t) => tempDir(t),
  async open(t, dataDir, connectors, log = captureLog()) {
    const store = await createStore({ connectors, dataDir, log });
    t.after(() => store.close());
    return store;
  },
});
