// A stand-in for the parts of Electron's main-process API that electron/main.ts uses, so the real main
// process code runs under plain Node against a real host. It records what main does as `STANDIN {json}`
// lines on stdout, and pages "load" by fetching their URL with the cookies set in their partition.
// With STANDIN_PROBE=1 it also exercises the policies main wired up (navigation, new windows,
// permissions, IPC) once the first cashier window has loaded.
import { EventEmitter } from 'node:events';
import os from 'node:os';
import path from 'node:path';

const log = (event, data = {}) => process.stdout.write(`STANDIN ${JSON.stringify({ event, ...data })}\n`);

class StandInEvent {
  defaultPrevented = false;
  constructor(fields = {}) {
    Object.assign(this, fields);
  }
  preventDefault() {
    this.defaultPrevented = true;
  }
}

const paths = { userData: process.env.STANDIN_USERDATA ?? path.join(os.tmpdir(), 'serverokey-standin-userdata') };
let quitting = false;

class App extends EventEmitter {
  isPackaged = false;
  getAppPath() {
    return process.env.STANDIN_APP_PATH;
  }
  getPath(name) {
    return paths[name];
  }
  setPath(name, value) {
    paths[name] = value;
    log('setPath', { name, value });
  }
  requestSingleInstanceLock() {
    const granted = process.env.STANDIN_LOCK !== 'taken';
    log('requestSingleInstanceLock', { granted, userData: paths.userData });
    return granted;
  }
  enableSandbox() {
    log('enableSandbox');
  }
  whenReady() {
    return Promise.resolve();
  }
  getName() {
    return 'Serverokey POS';
  }
  getVersion() {
    return '0.0.0-standin';
  }
  quit() {
    log('app.quit');
    const event = new StandInEvent();
    this.emit('before-quit', event);
    if (event.defaultPrevented) return;
    quitting = true;
    for (const win of [...BrowserWindow.all]) win.destroy();
    this.emit('will-quit', new StandInEvent());
    this.emit('quit');
    this.exit(0);
  }
  exit(code = 0) {
    log('exit', { code });
    process.exit(code);
  }
}

export const app = new App();

const sessions = new Map();
function makeSession(partition) {
  const ses = {
    partition,
    jar: new Map(),
    cookies: {
      async set(cookie) {
        log('cookie.set', { partition, ...cookie });
        ses.jar.set(cookie.name, cookie.value);
      },
    },
    setPermissionRequestHandler(handler) {
      ses.permissionRequestHandler = handler;
    },
    setPermissionCheckHandler(handler) {
      ses.permissionCheckHandler = handler;
    },
    setDevicePermissionHandler(handler) {
      ses.devicePermissionHandler = handler;
    },
  };
  app.emit('session-created', ses);
  return ses;
}

export const session = {
  fromPartition(partition) {
    if (!sessions.has(partition)) sessions.set(partition, makeSession(partition));
    return sessions.get(partition);
  },
  get defaultSession() {
    return this.fromPartition('');
  },
};

let nextId = 1;

class WebContents extends EventEmitter {
  constructor(win, partition) {
    super();
    this.id = nextId;
    this.win = win;
    this.session = session.fromPartition(partition);
    this.url = '';
  }
  setWindowOpenHandler(handler) {
    this.windowOpenHandler = handler;
  }
  getURL() {
    return this.url;
  }
  async loadURL(url) {
    this.url = url;
    const cookie = [...this.session.jar].map(([k, v]) => `${k}=${v}`).join('; ');
    log('loadURL', { window: this.win.id, partition: this.session.partition, url, withCookie: cookie !== '' });
    const response = await fetch(url, { headers: cookie ? { cookie } : {}, redirect: 'follow' });
    const html = await response.text();
    log('loaded', { window: this.win.id, url, finalUrl: response.url, status: response.status, hasPassword: html.includes('type="password"') });
    this.win.emit('ready-to-show');
    if (process.env.STANDIN_PROBE === '1' && this.win.id === 1) await probe(this);
  }
  reload() {
    log('reload', { window: this.win.id });
  }
  toggleDevTools() {}
  async executeJavaScript() {
    return 0;
  }
  async getPrintersAsync() {
    return [{ name: 'XP-80C', displayName: 'XPrinter 80', description: 'receipt printer', options: {} }];
  }
  print(options, callback) {
    log('print', { window: this.win.id, options });
    callback(false, 'Print job failed');
  }
}

export class BrowserWindow extends EventEmitter {
  static all = new Set();
  static getFocusedWindow() {
    return null;
  }
  static fromWebContents(contents) {
    return [...BrowserWindow.all].find((w) => w.webContents === contents) ?? null;
  }
  static getAllWindows() {
    return [...BrowserWindow.all];
  }
  constructor(options = {}) {
    super();
    this.id = nextId++;
    this.options = options;
    this.destroyed = false;
    const prefs = options.webPreferences ?? {};
    this.webContents = new WebContents(this, prefs.partition ?? '');
    BrowserWindow.all.add(this);
    log('window', {
      id: this.id,
      title: options.title,
      bounds: { x: options.x, y: options.y, width: options.width, height: options.height },
      show: options.show,
      kiosk: options.kiosk,
      fullscreen: options.fullscreen,
      webPreferences: prefs,
    });
    app.emit('web-contents-created', new StandInEvent(), this.webContents);
  }
  loadURL(url) {
    return this.webContents.loadURL(url);
  }
  show() {}
  showInactive() {}
  focus() {}
  restore() {}
  isMinimized() {
    return false;
  }
  setBounds() {}
  setFullScreen(flag) {
    log('setFullScreen', { window: this.id, flag });
  }
  isFullScreen() {
    return false;
  }
  setTitle() {}
  isDestroyed() {
    return this.destroyed;
  }
  close() {
    const event = new StandInEvent();
    this.emit('close', event);
    if (!event.defaultPrevented) setImmediate(() => this.destroy());
  }
  destroy() {
    if (this.destroyed) return;
    this.destroyed = true;
    BrowserWindow.all.delete(this);
    log('closed', { window: this.id });
    this.emit('closed');
    if (BrowserWindow.all.size === 0 && !quitting) app.emit('window-all-closed');
  }
}

const ipcHandlers = new Map();
export const ipcMain = {
  handle(channel, handler) {
    ipcHandlers.set(channel, handler);
    log('ipcMain.handle', { channel });
  },
  removeHandler(channel) {
    ipcHandlers.delete(channel);
  },
};

export const Menu = {
  buildFromTemplate(template) {
    const ids = [];
    const walk = (items) => {
      for (const item of items) {
        if (item.id) ids.push(item.id);
        if (Array.isArray(item.submenu)) walk(item.submenu);
      }
    };
    walk(template);
    return { template, ids };
  },
  setApplicationMenu(menu) {
    log('setApplicationMenu', { ids: menu?.ids ?? [] });
  },
};

export const screen = {
  getAllDisplays() {
    return JSON.parse(process.env.STANDIN_DISPLAYS ?? '[{"id":1,"bounds":{"x":0,"y":0,"width":1920,"height":1080},"workArea":{"x":0,"y":0,"width":1920,"height":1040}}]');
  },
  getPrimaryDisplay() {
    return this.getAllDisplays()[0];
  },
};

export const dialog = {
  showErrorBox(title, content) {
    log('dialog.showErrorBox', { title, content });
  },
  async showMessageBox(...args) {
    const options = args.length > 1 ? args[1] : args[0];
    log('dialog.showMessageBox', { message: options.message, detail: options.detail });
    return { response: 1 };
  },
};

export const shell = {
  async openExternal(url) {
    log('shell.openExternal', { url });
  },
};

export default { app, BrowserWindow, dialog, ipcMain, Menu, screen, session, shell };

/** Tries every policy main.ts wired up, from the first cashier window, and records the answers. */
async function probe(contents) {
  const origin = new URL(contents.url).origin;
  const navigate = (type, url, extra = {}) => {
    const event = new StandInEvent({ url, ...extra });
    contents.emit(type, event, url);
    return event.defaultPrevented;
  };
  const blocked = {
    sameOrigin: navigate('will-navigate', `${origin}/login?x=1`),
    foreign: navigate('will-navigate', 'https://evil.test/'),
    file: navigate('will-navigate', 'file:///etc/passwd'),
    redirect: navigate('will-redirect', 'https://evil.test/'),
    subframe: navigate('will-frame-navigate', 'https://evil.test/', { isMainFrame: false }),
  };
  const windowOpen = {
    sameOrigin: contents.windowOpenHandler({ url: `${origin}/x` }).action,
    foreign: contents.windowOpenHandler({ url: 'https://example.org/' }).action,
  };
  const ses = contents.session;
  const decide = (permission, requestingUrl) =>
    new Promise((resolve) => ses.permissionRequestHandler(contents, permission, resolve, { requestingUrl }));
  const permissions = {
    mediaFromHost: await decide('media', `${origin}/`),
    fullscreenFromHost: await decide('fullscreen', `${origin}/`),
    fullscreenFromElsewhere: await decide('fullscreen', 'https://evil.test/'),
    check: ses.permissionCheckHandler(contents, 'geolocation', origin),
    device: ses.devicePermissionHandler({}),
  };
  const invoke = (channel, frameUrl, ...args) =>
    ipcHandlers.get(channel)({ sender: contents, senderFrame: frameUrl === null ? null : { url: frameUrl, parent: null } }, ...args);
  const ipc = {
    terminal: await invoke('pos:terminal', `${origin}/`),
    terminalFromElsewhere: await invoke('pos:terminal', 'https://evil.test/'),
    printers: await invoke('pos:printers', `${origin}/`),
    printBadArgs: await invoke('pos:print', `${origin}/`, { path: '//evil.test/' }),
    printMissingPrinter: await invoke('pos:print', `${origin}/`, '<p>Чек</p>', { printer: 'Nope' }),
    printNothing: await invoke('pos:print', `${origin}/`),
    printFails: await invoke('pos:print', `${origin}/`, '<p>Чек</p>', { printer: 'XPrinter 80', widthMm: 58 }),
  };
  log('probe', { blocked, windowOpen, permissions, ipc });
}
