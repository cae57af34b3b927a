// `serverokey chain import-catalogue`: a chain's first catalogue, from a till that already has one. Every
// product of the till's catalogue connector (launch.chain.catalogue) goes into head office's catalogue for
// every shop, in one transaction; a product head office already has is left as it is there (run it again,
// nothing changes). The shops then pull it like any change. The till must not be running (its store is
// opened to read the catalogue with every acknowledged change).
import pg from 'pg';
import { loadManifest } from '../manifest/load.js';
import { createStore } from '../store/index.js';
import { DataFolderBusyError, readDataLock } from '../data-lock.js';
import type { Logger } from '../log.js';

export interface CatalogueImport {
  connector: string;
  added: number;
  /** products head office already had (left unchanged) */
  kept: number;
}

export async function importCatalogue(options: { appDir: string; dataDir: string; adminUrl: string; log: Logger }): Promise<CatalogueImport> {
  const holder = readDataLock(options.dataDir);
  if (holder) throw new DataFolderBusyError(options.dataDir, holder);
  const { manifest } = await loadManifest(options.appDir);
  const connector = manifest.launch?.chain?.catalogue;
  if (!connector || !manifest.connectors[connector]) {
    throw new Error('the app names no catalogue connector: set launch.chain.catalogue in its manifest (apps/kassa: "positions")');
  }
  const store = await createStore({ connectors: manifest.connectors, dataDir: options.dataDir, log: options.log });
  let items: Array<Record<string, unknown>>;
  try {
    const state = (await store.read(connector, 'global')) as { items?: unknown } | null;
    items = (Array.isArray(state?.items) ? state.items : []).filter(
      (item): item is Record<string, unknown> => item !== null && typeof item === 'object' && (typeof item.id === 'string' || typeof item.id === 'number'),
    );
  } finally {
    await store.close();
  }
  const client = new pg.Client({ connectionString: options.adminUrl });
  await client.connect();
  try {
    await client.query('BEGIN');
    let added = 0;
    for (const item of items) {
      const result = await client.query(
        `INSERT INTO serverokey_chain_catalogue (item_id, shop, item) VALUES ($1, '', $2) ON CONFLICT (item_id, shop) DO NOTHING`,
        [String(item.id), JSON.stringify(item)],
      );
      added += result.rowCount ?? 0;
    }
    await client.query('COMMIT');
    return { connector, added, kept: items.length - added };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    await client.end();
  }
}
