// Where a connector's data lives: `<dataDir>/<name><ext>` for global state, and
// `<dataDir>/<name>/<scopeKey><ext>` for each terminal or user of a scoped connector.
import { join } from 'node:path';

export const GLOBAL_SCOPE_KEY = 'global';

function segment(text: string): string {
  // encodeURIComponent leaves "." alone; a key of "." or ".." must not name a folder.
  const encoded = encodeURIComponent(text);
  return encoded === '.' || encoded === '..' ? encoded.replace(/\./g, '%2E') : encoded;
}

export function connectorFile(dataDir: string, name: string, scoped: boolean, scopeKey: string, ext: string): string {
  return scoped ? join(dataDir, segment(name), `${segment(scopeKey)}${ext}`) : join(dataDir, `${segment(name)}${ext}`);
}
