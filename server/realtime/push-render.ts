// The fragment a channel with emit.render pushes with its event: its component rendered once per change,
// with the states emit.reads names as the change's owner sees them. Whose states those are is the action
// runner's rule (ActionRunner.scopeKeyOf): the change of one terminal's receipt renders with that
// terminal's other terminal-scoped states and the global ones, never with anybody's user-scoped state.
import type { ActionFragment } from '../../protocol/wire.js';
import type { ActionRunner } from '../actions/runner.js';
import type { Renderer } from '../render/index.js';
import type { Store } from '../store/types.js';
import type { Channel } from './channels.js';
import type { NotifyChange } from './hub.js';

export interface PushRenderSources {
  store: Pick<Store, 'peek'>;
  runner: Pick<ActionRunner, 'scopeKeyOf'>;
  renderer: Pick<Renderer, 'renderComponent' | 'templateRefersTo'>;
}

/**
 * Whether the channel's pushed fragment depends on who receives it: its component's template uses `user`.
 * Such a fragment is rendered once per distinct user among the recipients, with that user (as the
 * window's own soft refresh would be); any other is rendered once for everybody, with user = null.
 */
export function pushedPerUser(sources: Pick<PushRenderSources, 'renderer'>, channel: Channel): boolean {
  return Boolean(channel.render) && sources.renderer.templateRefersTo(channel.render!, 'user');
}

/** The requester a change stands for: the terminal or the user whose state changed (nobody for a global one). */
export function ownerOf(change: Pick<NotifyChange, 'scope' | 'scopeKey'>): { terminal: { id: string; name: string } | null; userKey: string | null } {
  return {
    terminal: change.scope === 'terminal' ? { id: change.scopeKey, name: '' } : null,
    userKey: change.scope === 'user' ? change.scopeKey : null,
  };
}

/**
 * The hub's renderPush: undefined when the channel renders nothing, or when a state it reads is not the
 * change owner's to show or is not loaded yet (subscribers then refresh, as without render). Synchronous,
 * so the event goes out without waiting for the event loop. No terminal of its own; `user` is the
 * recipient's user (secrets removed) when the template uses `user` (pushedPerUser), else null: what is
 * pushed is then the same for every subscriber in the change's scope.
 */
export function renderPushed(
  sources: PushRenderSources,
  channel: Channel,
  change: NotifyChange,
  user: Record<string, unknown> | null = null,
): ActionFragment | undefined {
  if (!channel.render) return undefined;
  const owner = ownerOf(change);
  const data: Record<string, unknown> = {};
  for (const name of channel.reads) {
    if (name === change.name) {
      data[name] = change.state;
      continue;
    }
    const scopeKey = sources.runner.scopeKeyOf(name, owner);
    // the latest state: this push goes out only once the commit is durable, and a refused one sends nothing
    const state = scopeKey === null ? undefined : sources.store.peek(name, scopeKey, { latest: true });
    if (state === undefined) return undefined;
    data[name] = state;
  }
  const rendered = sources.renderer.renderComponent(channel.render, { data, user, url: { pathname: '/', query: {} } });
  return { html: rendered.html, styles: rendered.styles.map((s) => s.css).join('\n'), scripts: rendered.scripts, componentName: channel.render };
}
