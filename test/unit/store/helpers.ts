// Shared by the store tests: a temp data folder per test and a logger that keeps what it was told.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import type { ConnectorConfig } from '../../../server/manifest/types.js';
import { createStore } from '../../../server/store/index.js';
import type { Logger, Store } from '../../../server/store/index.js';

export interface CapturedLog extends Logger {
  lines: Array<{ level: 'info' | 'warn' | 'error'; message: string }>;
  text(level?: 'info' | 'warn' | 'error'): string;
}

export function captureLog(): CapturedLog {
  const lines: CapturedLog['lines'] = [];
  return {
    lines,
    info: (message) => lines.push({ level: 'info', message }),
    warn: (message) => lines.push({ level: 'warn', message }),
    error: (message) => lines.push({ level: 'error', message }),
    text: (level) =>
      lines
        .filter((line) => !level || line.level === level)
        .map((line) => line.message)
        .join('\n'),
  };
}

/** A fresh temp folder removed when the test ends. */
export async function tempDir(t: TestContext): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'store-test-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** Opens a store that the test closes at its end (closing twice is fine). */
export async function openStore(
  t: TestContext,
  dataDir: string,
  connectors: Record<string, ConnectorConfig>,
  log: Logger = captureLog(),
): Promise<Store> {
  const store = await createStore({ connectors, dataDir, log });
  t.after(() => store.close());
  return store;
}

/** lock → read → change → commit → release; resolves once durable. */
export async function update<T>(store: Store, name: string, scopeKey: string, change: (state: T) => T | void): Promise<void> {
  const release = await store.lock([{ name, scopeKey }]);
  let durable: Promise<void>;
  try {
    const state = (await store.read(name, scopeKey)) as T;
    const next = change(state);
    durable = store.commit([{ name, scopeKey, state: next === undefined ? state : next }]);
  } finally {
    release();
  }
  await durable;
}
