// The wire contract between the engine (server/) and the browser client (renderer/): the names that travel
// (headers, paths, attributes, DOM events) and the shapes of bodies and frames. Both sides import it, neither
// imports the other, and it imports nothing, so the client bundle takes only these few constants from it.

export const SOCKET_ID_HEADER = 'X-Socket-Id';
export const CSRF_HEADER = 'X-CSRF-Token';
export const SPA_HEADER = 'X-Requested-With';
export const SPA_HEADER_VALUE = 'ServerokeySPA';
export const CLIENT_SCRIPT_PATH = '/engine-client.js';

/** The atom-* attributes the browser client understands (documented in docs/ATTRIBUTES.md). */
export const ATTR = {
  action: 'atom-action',
  target: 'atom-target',
  event: 'atom-event',
  link: 'atom-link',
  socket: 'atom-socket',
  onEvent: 'atom-on-event',
  debounce: 'atom-debounce',
  error: 'atom-error',
  confirm: 'atom-confirm',
  reset: 'atom-reset',
  focus: 'atom-focus',
  hotkey: 'atom-hotkey',
  print: 'atom-print',
  printer: 'atom-printer',
  printWidth: 'atom-print-width',
  printers: 'atom-printers',
} as const;

/** DOM events the delegated listener handles for atom-action elements. */
export const ACTION_EVENTS = ['click', 'input', 'change', 'submit'] as const;

export type Redirect = string | { url: string; full?: boolean };

export interface ErrorBody {
  status: number;
  message: string;
  /** field name -> message, for 422 validation failures */
  fields?: Record<string, string>;
  /** the failing step, e.g. routes["POST /x"].steps[2].to */
  step?: string;
}

export interface ActionFragment {
  html: string;
  styles: string;
  scripts: string[];
  componentName: string;
}

export type ActionResponse =
  | ActionFragment
  | { redirect: Redirect }
  | { error: ErrorBody; redirect?: Redirect }
  | Record<string, never>;

export interface StyleEntry {
  name: string;
  id: string;
  css: string;
}

export interface SpaResponse {
  title: string;
  injectedParts: { pageContent: string };
  styles: StyleEntry[];
  scripts: string[];
}

// WebSocket frames

/** A channel's event: a watched connector changed (sent after the commit is durable). */
export interface EventFrame {
  event: string;
  payload: unknown;
  channel: string;
  /** the channel's emit.render component, rendered for the change (subscribers swap it in) */
  html?: ActionFragment;
  /**
   * The pushed fragment's CSS was left out (html.styles is ''): it is the component's own stylesheet,
   * which every page showing the component already has (style-for-<component id>). A page without it
   * ignores the fragment and refreshes instead, which brings the CSS.
   */
  stylesOnPage?: true;
}

export type ServerFrame =
  | { type: 'socket_id_assigned'; id: string }
  | { type: 'subscribed'; channel: string }
  | { type: 'error'; message: string; channel?: string }
  | { type: 'reload' }
  | { type: 'dev-errors'; errors: string[] }
  | { type: 'pong' }
  | EventFrame;

export type ClientFrame =
  | { type: 'subscribe'; channel: string }
  | { type: 'unsubscribe'; channel: string }
  | { type: 'ping' };
