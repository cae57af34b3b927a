// The wire contract between the engine (server/) and the browser client (renderer/): the names that travel
// (headers, paths, attributes, DOM events) and the shapes of bodies and frames. Both sides import it, neither
// imports the other, and it imports nothing, so the client bundle takes only these few constants from it.

export const SOCKET_ID_HEADER = 'X-Socket-Id';
export const CSRF_HEADER = 'X-CSRF-Token';
export const SPA_HEADER = 'X-Requested-With';
export const SPA_HEADER_VALUE = 'ServerokeySPA';
export const CLIENT_SCRIPT_PATH = '/engine-client.js';
/** the service worker that shows an offline page when a page load cannot reach the host */
export const OFFLINE_WORKER_PATH = '/__offline-worker.js';

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
  fieldError: 'atom-field-error',
  confirm: 'atom-confirm',
  reset: 'atom-reset',
  focus: 'atom-focus',
  hotkey: 'atom-hotkey',
  print: 'atom-print',
  printer: 'atom-printer',
  printWidth: 'atom-print-width',
  printers: 'atom-printers',
  noBanners: 'atom-no-banners',
  queue: 'atom-queue',
  reveal: 'atom-reveal',
  offline: 'atom-offline',
  arrows: 'atom-arrows',
  arrowsTo: 'atom-arrows-to',
  keys: 'atom-keys',
  clear: 'atom-clear',
  press: 'atom-press',
  type: 'atom-type',
  /** atom-push="off": the element's soft refresh is never pushed by the host, always fetched */
  push: 'atom-push',
} as const;

/**
 * DOM events the browser client dispatches, for apps and tests to listen to (docs/ATTRIBUTES.md, "Client
 * events"). Each bubbles; the detail types are below.
 */
export const CLIENT_EVENTS = {
  /** on the element whose atom-action is about to be sent; cancelable (nothing is sent); may add headers */
  beforeRequest: 'atom:before-request',
  /** on the container whose content was just replaced (action answer, refresh, pushed fragment, SPA page) */
  afterSwap: 'atom:after-swap',
  /** on the element whose action failed (the document when it has left the page); cancelable (not shown) */
  error: 'atom:error',
  /** on the document for each channel event the socket brings; cancelable (no refresh, no swap) */
  socketEvent: 'atom:socket-event',
  /** on the document when the socket is lost (the page shows "offline") */
  offline: 'atom:offline',
  /** on the document when the socket is connected (first time and after every reconnect) */
  online: 'atom:online',
} as const;

export interface BeforeRequestDetail {
  method: string;
  /** the request's URL (a GET's body is in its query) */
  url: string;
  body: unknown;
  /** 'user': a trigger (click, input, submit); 'refresh': a real-time refresh */
  kind: 'user' | 'refresh';
  /** headers to add; the client's own (Accept, Content-Type, CSRF token, socket id) cannot be replaced */
  headers: Record<string, string>;
}

export interface AfterSwapDetail {
  /** what brought the content: an action's answer, a refresh, a fragment pushed with an event, a SPA page */
  cause: 'action' | 'refresh' | 'push' | 'navigation';
}

export interface ErrorDetail extends ErrorBody {
  method: string;
  url: string;
}

export interface SocketEventDetail {
  event: string;
  channel: string;
  payload: unknown;
  /** a fragment came with the event (emit.render, or a soft refresh the host rendered: automatic push) */
  pushed: boolean;
}

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
  /**
   * Soft refreshes the host performed for this window (automatic push, docs/ATTRIBUTES.md): the answers the
   * subscribing elements' atom-action would have fetched, rendered once per distinct request and sent with
   * the event. An element whose atom-action and atom-target match an entry swaps it in without a request.
   */
  refreshed?: PushedRefresh[];
  /**
   * With `refreshed`: the change's place in the watched connector's order of commits (per scope, per host
   * run). The client drops a pushed refresh older than one it already applied for the channel.
   */
  version?: number;
}

/** A soft refresh a subscribing element would perform when the channel's event comes (sent with subscribe). */
export interface RefreshRequest {
  /** the element's atom-action method and URL ("POST", "/action/receipt-refresh") */
  method: string;
  url: string;
  /** the element's atom-target */
  target: string;
  /** the request body the client would send (a GET sends it as its query) */
  body: Record<string, string>;
  /** the page the element is on (pathname and search): the answer is rendered for it */
  page: string;
}

/** A pushed refresh answer: which element's refresh it replaces, and the answer itself. */
export interface PushedRefresh {
  /** "METHOD url" as the request named it */
  action: string;
  target: string;
  html: ActionFragment;
}

/** At most this many refresh requests per channel and window are taken (more are refreshed over HTTP). */
export const MAX_REFRESH_REQUESTS = 8;

export type ServerFrame =
  | { type: 'socket_id_assigned'; id: string }
  | { type: 'subscribed'; channel: string }
  | { type: 'error'; message: string; channel?: string }
  | { type: 'reload' }
  | { type: 'dev-errors'; errors: string[] }
  /** whether the host can save changes; `message` says what is wrong (a full disk) while it cannot */
  | { type: 'host-status'; ok: boolean; message?: string }
  | { type: 'pong' }
  | EventFrame;

export type ClientFrame =
  /** `refresh`: what the window's elements on the channel would fetch on its event (optional; older clients omit it) */
  | { type: 'subscribe'; channel: string; refresh?: RefreshRequest[] }
  | { type: 'unsubscribe'; channel: string }
  | { type: 'ping' };

/**
 * A full page rendered while the host cannot save changes carries this meta tag (content: the message);
 * the client shows it as a banner until a `host-status` frame says writing works again.
 */
export const HOST_STATUS_META = 'serverokey-host-status';
