// The commit intent record makes a commit that changes several files all-or-nothing: every new state is
// written durably to one record first, then the files, then the record is removed. A record found at
// start-up belongs to a commit cut short by a crash; replaying it finishes that commit.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { JsonValue, Logger } from './types.js';
import { describeError, errorCode, removeDurably, writeFileDurably } from './fs-durable.js';
import { COMMIT_INTENT_FILE } from './paths.js';
import { isPlainRecord } from './json-value.js';

export interface IntentChange {
  connector: string;
  scopeKey: string;
  /** what the connector's backend saves (a whole state, or a journal append) */
  write: JsonValue;
}

export function intentPath(dataDir: string): string {
  return join(dataDir, COMMIT_INTENT_FILE);
}

export async function writeIntent(dataDir: string, changes: IntentChange[]): Promise<void> {
  await writeFileDurably(intentPath(dataDir), JSON.stringify({ version: 1, changes }));
}

export async function removeIntent(dataDir: string): Promise<void> {
  await removeDurably(intentPath(dataDir));
}

function isIntentChange(value: unknown): value is IntentChange {
  return isPlainRecord(value) && typeof value.connector === 'string' && typeof value.scopeKey === 'string' && 'write' in value;
}

/** The changes of an interrupted commit, or null when there is none. */
export async function readIntent(dataDir: string, log: Logger): Promise<IntentChange[] | null> {
  const path = intentPath(dataDir);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return null;
    throw new Error(`could not read ${path}: ${describeError(error)}`, { cause: error });
  }
  try {
    const record: unknown = JSON.parse(text);
    if (isPlainRecord(record) && Array.isArray(record.changes) && record.changes.every(isIntentChange)) return record.changes;
    throw new Error('unexpected content');
  } catch (error) {
    // The record is renamed into place whole, so a damaged one was never complete: its commit never
    // started writing connector files, and ignoring it leaves every file as it was.
    log.warn(`store: ignored ${path} (${describeError(error)}): it is not a complete commit record, so no connector file depends on it`);
    await removeIntent(dataDir);
    return null;
  }
}
