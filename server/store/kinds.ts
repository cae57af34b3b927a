// The table of connector kinds. A new storage kind is one module in kinds/ and one entry here.
import type { ConnectorKind } from './types.js';
import { lowdbKind } from './kinds/lowdb.js';
import { memoryKind } from './kinds/memory.js';
import { journalKind } from './kinds/journal.js';
import { postgresKind } from './kinds/postgres.js';

export const connectorKinds: readonly ConnectorKind[] = [lowdbKind, memoryKind, journalKind, postgresKind];

export function findKind(type: string): ConnectorKind | undefined {
  return connectorKinds.find((kind) => kind.type === type || kind.aliases?.includes(type));
}

export function knownTypes(): string[] {
  return connectorKinds.flatMap((kind) => [kind.type, ...(kind.aliases ?? [])]);
}
