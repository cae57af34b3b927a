// The table of connector kinds. A new storage kind is one module in kinds/, one entry here and its name
// (with any aliases) in manifest/connector-types.ts, the list the schema and the types are made from.
import { connectorTypes, kindOfType, type ConnectorKindName } from '../manifest/connector-types.js';
import type { ConnectorKind } from './types.js';
import { lowdbKind } from './kinds/lowdb.js';
import { memoryKind } from './kinds/memory.js';
import { journalKind } from './kinds/journal.js';
import { postgresKind } from './kinds/postgres.js';

const byName: Record<ConnectorKindName, ConnectorKind> = { lowdb: lowdbKind, memory: memoryKind, journal: journalKind, postgres: postgresKind };

export const connectorKinds: readonly ConnectorKind[] = Object.values(byName);

export function findKind(type: string): ConnectorKind | undefined {
  const kind = kindOfType(type);
  return kind && byName[kind];
}

export function knownTypes(): string[] {
  return [...connectorTypes];
}
