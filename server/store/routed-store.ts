// An app that mixes: its `postgres` connectors in the database, the others in the data folder. Each call
// goes to the store that holds the connector. Locks are taken in a fixed order (files, then the database)
// so two actions never wait on each other in a cycle. A commit that writes connectors of both is two
// commits, the database's first: when the database refuses, nothing is written; when the files then
// fail (a full disk), the database part stays — keep what must change together on one side.
import type { Change, CommitOptions, JournalPage, JournalQuery, ConnectorInfo, JsonValue, RemoteCommit, ScopeTarget, Store, StoreStatus } from './types.js';
import { UnknownConnectorError } from './types.js';

export class RoutedStore implements Store {
  constructor(
    private readonly order: string[],
    private readonly files: Store,
    private readonly database: Store,
  ) {}

  private storeOf(name: string): Store {
    if (this.database.names().includes(name)) return this.database;
    if (this.files.names().includes(name)) return this.files;
    throw new UnknownConnectorError(name, this.order);
  }

  names(): string[] {
    return [...this.order];
  }

  info(name: string): ConnectorInfo {
    return this.storeOf(name).info(name);
  }

  read(name: string, scopeKey: string, options?: { durable?: boolean }): Promise<JsonValue> {
    try {
      return this.storeOf(name).read(name, scopeKey, options);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  snapshot(name: string, scopeKey: string, options?: { latest?: boolean }): Promise<JsonValue> {
    return this.storeOf(name).snapshot(name, scopeKey, options);
  }

  peek(name: string, scopeKey: string, options?: { latest?: boolean }): JsonValue | undefined {
    return this.storeOf(name).peek(name, scopeKey, options);
  }

  queryJournal(name: string, scopeKey: string, query: JournalQuery): Promise<JournalPage> {
    try {
      return this.storeOf(name).queryJournal(name, scopeKey, query);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  async lock(targets: ScopeTarget[]): Promise<() => void> {
    const inFiles = targets.filter((target) => this.storeOf(target.name) === this.files);
    const inDatabase = targets.filter((target) => this.storeOf(target.name) === this.database);
    const releaseFiles = inFiles.length > 0 ? await this.files.lock(inFiles) : () => {};
    try {
      const releaseDatabase = inDatabase.length > 0 ? await this.database.lock(inDatabase) : () => {};
      return () => {
        releaseDatabase();
        releaseFiles();
      };
    } catch (error) {
      releaseFiles();
      throw error;
    }
  }

  commit(changes: Change[], options?: CommitOptions): Promise<void> {
    let inFiles: Change[];
    let inDatabase: Change[];
    try {
      inFiles = changes.filter((change) => this.storeOf(change.name) === this.files);
      inDatabase = changes.filter((change) => this.storeOf(change.name) === this.database);
    } catch (error) {
      return Promise.reject(error);
    }
    if (inFiles.length === 0) return this.database.commit(inDatabase, options);
    if (inDatabase.length === 0) return this.files.commit(inFiles, options);
    return this.database.commit(inDatabase, options).then(() => this.files.commit(inFiles, options));
  }

  onRemoteCommit(listener: (commit: RemoteCommit) => void): () => void {
    return this.database.onRemoteCommit?.(listener) ?? (() => {});
  }

  async catchUp(name: string, scopeKey: string): Promise<void> {
    const store = this.storeOf(name);
    await store.catchUp?.(name, scopeKey);
  }

  async freshen(targets: ScopeTarget[]): Promise<void> {
    await this.database.freshen?.(targets.filter((target) => this.storeOf(target.name) === this.database));
  }

  status(): StoreStatus {
    const files = this.files.status();
    return files.ok ? this.database.status() : files;
  }

  onStatus(listener: (status: StoreStatus) => void): () => void {
    const tell = () => listener(this.status());
    const stopFiles = this.files.onStatus(tell);
    const stopDatabase = this.database.onStatus(tell);
    return () => {
      stopFiles();
      stopDatabase();
    };
  }

  async flush(): Promise<void> {
    await Promise.all([this.files.flush(), this.database.flush()]);
  }

  async close(): Promise<void> {
    const results = await Promise.allSettled([this.files.close(), this.database.close()]);
    const failed = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
    if (failed) throw failed.reason;
  }
}
