// The connector types a manifest may name: each storage kind (one module in store/kinds/) and the other
// names it answers to (the original engine's `wise-json`, `json`, `in-memory`). The one list: the zod
// schema, the author-facing types and the store's kind table are all derived from it.

export const CONNECTOR_KINDS = {
  lowdb: ['wise-json', 'json'],
  memory: ['in-memory'],
  journal: [],
  postgres: [],
} as const satisfies Record<string, readonly string[]>;

/** A storage kind's own name (store/kinds.ts has one module for each). */
export type ConnectorKindName = keyof typeof CONNECTOR_KINDS;

/** Any name a manifest's `type` may use: a kind or one of its aliases. */
export type ConnectorType = ConnectorKindName | (typeof CONNECTOR_KINDS)[ConnectorKindName][number];

/** Every accepted `type`, kinds first then their aliases, in the order of CONNECTOR_KINDS. */
export const connectorTypes = Object.entries(CONNECTOR_KINDS).flatMap(([kind, aliases]) => [kind, ...aliases]) as [
  ConnectorType,
  ...ConnectorType[],
];

/** The kind a type names (an alias gives its kind); undefined for an unknown type. */
export function kindOfType(type: string): ConnectorKindName | undefined {
  for (const [kind, aliases] of Object.entries(CONNECTOR_KINDS) as Array<[ConnectorKindName, readonly string[]]>) {
    if (kind === type || aliases.includes(type)) return kind;
  }
  return undefined;
}
