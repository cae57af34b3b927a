// The render context a page or fragment gets: the data, the user (never its secrets), the URL and what
// the engine adds (terminal, CSRF token, a chain shop's status, what the route's steps computed).
import type { RenderInput } from '../render/index.js';
import type { Identity } from './identity.js';
import type { ChainStatus } from '../chain/uploader.js';

export function renderInput(
  identity: Identity,
  data: Record<string, unknown>,
  url: RenderInput['url'],
  csrf: string,
  user = identity.user,
  chain: ChainStatus | null = null,
  context: Record<string, unknown> = {},
): RenderInput {
  return {
    data,
    user,
    url,
    context,
    extra: {
      terminal: identity.terminal ? { id: identity.terminal.id, name: identity.terminal.name } : null,
      csrfToken: csrf,
      // a chain's shop: { online, backlog, lastUpload, … } for a status line; null elsewhere
      chain,
    },
  };
}
