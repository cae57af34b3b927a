// Channels from the manifest's sockets section: which connector each watches, what it emits, who may
// subscribe. Validated at start (compatibility.md D21): a channel that cannot notify fails start-up, not an action.
import type { ChannelConfig, Manifest } from '../manifest/types.js';

export interface Channel {
  name: string;
  /** the connector it announces; for a `listen` channel, LISTEN_PREFIX + the PostgreSQL channel */
  watch: string;
  /** the PostgreSQL notification channel it follows (sockets.<name>.listen), or undefined */
  listen?: string;
  event: string;
  payload: string | string[] | undefined;
  render?: string;
  /** connectors a pushed render reads (emit.reads, default the watched connector) */
  reads: string[];
  auth: { required: boolean; roles?: string[] };
  /** the host renders subscribers' read-only soft refreshes and sends them with the event (sockets.<name>.push, default true) */
  push: boolean;
}

/** What a `listen` channel's notifications are announced as (never a connector name: those hold no ':'). */
export const LISTEN_PREFIX = 'listen:';

export function buildChannels(manifest: Manifest): Map<string, Channel> {
  const channels = new Map<string, Channel>();
  for (const [name, config] of Object.entries(manifest.sockets ?? {}) as Array<[string, ChannelConfig]>) {
    if (config.listen !== undefined) {
      if (config.watch !== undefined) throw new Error(`sockets["${name}"] has both watch and listen: a channel follows a connector or a PostgreSQL notification, not both`);
      if (!config.emit?.event) throw new Error(`sockets["${name}"].emit.event is missing: the event name clients listen for`);
      if (config.emit.render) throw new Error(`sockets["${name}"].emit.render: a listen channel has no state to render; subscribers refresh themselves`);
      channels.set(name, {
        name,
        watch: `${LISTEN_PREFIX}${config.listen}`,
        listen: config.listen,
        event: config.emit.event,
        payload: undefined,
        reads: [],
        push: false,
        auth: { required: config.auth?.required ?? Boolean(manifest.auth), roles: config.auth?.roles },
      });
      continue;
    }
    if (config.watch === undefined) throw new Error(`sockets["${name}"] needs watch (a connector) or listen (a PostgreSQL notification channel)`);
    if (!manifest.connectors[config.watch]) {
      throw new Error(`sockets["${name}"].watch names connector "${config.watch}", which the manifest does not declare`);
    }
    if (!config.emit?.event) throw new Error(`sockets["${name}"].emit.event is missing: the event name clients listen for`);
    if (config.emit.render && !manifest.components[config.emit.render]) {
      throw new Error(`sockets["${name}"].emit.render names component "${config.emit.render}", which is not declared`);
    }
    for (const read of config.emit.reads ?? []) {
      if (!manifest.connectors[read]) throw new Error(`sockets["${name}"].emit.reads names connector "${read}", which the manifest does not declare`);
    }
    channels.set(name, {
      name,
      watch: config.watch,
      event: config.emit.event,
      payload: config.emit.payload,
      render: config.emit.render,
      reads: config.emit.reads ?? [config.watch],
      push: config.push !== false,
      auth: { required: config.auth?.required ?? Boolean(manifest.auth), roles: config.auth?.roles },
    });
  }
  return channels;
}

/** The payload a channel sends: the whole state (payload names the connector or is absent) or a projection. */
export function projectPayload(channel: Channel, state: unknown): unknown {
  if (!Array.isArray(channel.payload)) return state;
  if (!state || typeof state !== 'object') return state;
  const out: Record<string, unknown> = {};
  for (const key of channel.payload) if (Object.hasOwn(state, key)) out[key] = (state as Record<string, unknown>)[key];
  return out;
}
