// The wire contract between the engine (server/) and the browser client (renderer/).
// Types only: both sides import it, neither imports the other.

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
export type ServerFrame =
  | { type: 'socket_id_assigned'; id: string }
  | { type: 'subscribed'; channel: string }
  | { type: 'error'; message: string; channel?: string }
  | { type: 'reload' }
  | { type: 'dev-errors'; errors: string[] }
  /** whether the host can save changes; `message` says what is wrong (a full disk) while it cannot */
  | { type: 'host-status'; ok: boolean; message?: string }
  | {
      event: string;
      payload: unknown;
      channel: string;
      html?: ActionFragment;
      /**
       * The pushed fragment's CSS was left out (html.styles is ''): it is the component's own stylesheet,
       * which every page showing the component already has (style-for-<component id>). A page without it
       * ignores the fragment and refreshes instead, which brings the CSS.
       */
      stylesOnPage?: true;
    };

export type ClientFrame =
  | { type: 'subscribe'; channel: string }
  | { type: 'unsubscribe'; channel: string }
  | { type: 'ping' };

/**
 * A full page rendered while the host cannot save changes carries this meta tag (content: the message);
 * the client shows it as a banner until a `host-status` frame says writing works again.
 */
export const HOST_STATUS_META = 'serverokey-host-status';
