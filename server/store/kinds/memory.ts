// `memory` (alias `in-memory`): state lives in the store's cache only and is lost on restart.
import type { ConnectorBackend, ConnectorKind } from '../types.js';

const memoryBackend: ConnectorBackend = {
  load: async () => null,
  save: async () => {},
  flush: async () => {},
  close: async () => {},
};

export const memoryKind: ConnectorKind = {
  type: 'memory',
  persistent: false,
  open: () => memoryBackend,
};
