import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { IpcMainInvokeEvent, WebContents } from 'electron';
import { IPC_CHANNELS, type IpcResult } from '../../../electron/ipc-channels.js';
import { registerIpcHandlers, UserFacingError, type IpcServices } from '../../../electron/ipc-handlers.js';
import { isTrustedSender, MAX_PRINT_HTML_CHARS, parseIpcArgs } from '../../../electron/ipc-schema.js';

const host = 'http://127.0.0.1:41234';

describe('IPC argument validation', () => {
  it('accepts receipt HTML or a till path, with optional options', () => {
    assert.deepEqual(parseIpcArgs(IPC_CHANNELS.print, ['<p>Чек</p>']), { ok: true, args: ['<p>Чек</p>'] });
    assert.deepEqual(parseIpcArgs(IPC_CHANNELS.print, ['<p>Чек</p>', undefined]), { ok: true, args: ['<p>Чек</p>'] });
    const withOptions = parseIpcArgs(IPC_CHANNELS.print, [{ path: '/receipt/7/print' }, { printer: 'XP-58', widthMm: 58, copies: 2 }]);
    assert.deepEqual(withOptions, { ok: true, args: [{ path: '/receipt/7/print' }, { printer: 'XP-58', widthMm: 58, copies: 2 }] });
  });

  it('refuses paths that leave the till', () => {
    for (const path of ['//evil.test/x', 'https://evil.test/', 'receipt', '/\\evil.test']) {
      const result = parseIpcArgs(IPC_CHANNELS.print, [{ path }]);
      assert.equal(result.ok, false, path);
    }
  });

  it('refuses wrong types, unknown keys, extra arguments and oversize content', () => {
    const cases: unknown[][] = [
      [42],
      [''],
      ['x'.repeat(MAX_PRINT_HTML_CHARS + 1)],
      [{ path: '/r', extra: true }],
      ['<p/>', { printer: 'P', copies: 0 }],
      ['<p/>', { widthMm: 5000 }],
      ['<p/>', { deviceName: 'P' }],
      ['<p/>', {}, 'third'],
    ];
    for (const args of cases) {
      const result = parseIpcArgs(IPC_CHANNELS.print, args);
      assert.equal(result.ok, false, JSON.stringify(args).slice(0, 60));
      if (!result.ok) assert.match(result.error, /^invalid arguments for pos:print/);
    }
  });

  it('prints the page in launch.print.path when given no content', () => {
    assert.deepEqual(parseIpcArgs(IPC_CHANNELS.print, []), { ok: true, args: [] });
    assert.deepEqual(parseIpcArgs(IPC_CHANNELS.print, [undefined, { copies: 2 }]), { ok: true, args: [undefined, { copies: 2 }] });
  });

  it('takes no arguments for printers() and terminal()', () => {
    assert.equal(parseIpcArgs(IPC_CHANNELS.printers, []).ok, true);
    assert.equal(parseIpcArgs(IPC_CHANNELS.terminal, ['x']).ok, false);
  });
});

describe('sender origin check', () => {
  it('trusts only the main frame of a page of the host', () => {
    assert.equal(isTrustedSender({ senderFrame: { url: `${host}/` } }, host), true);
    assert.equal(isTrustedSender({ senderFrame: { url: `${host}/x`, parent: { url: `${host}/` } } }, host), false);
    assert.equal(isTrustedSender({ senderFrame: { url: 'https://evil.test/' } }, host), false);
    assert.equal(isTrustedSender({ senderFrame: { url: 'data:text/html,<p>' } }, host), false);
    assert.equal(isTrustedSender({ senderFrame: null }, host), false);
    assert.equal(isTrustedSender({}, host), false);
  });
});

type Listener = (event: IpcMainInvokeEvent, ...args: unknown[]) => Promise<IpcResult<unknown>>;

/** Stands in for Electron's ipcMain, which cannot exist outside Electron: it only records handlers. */
function recordingIpcMain() {
  const handlers = new Map<string, Listener>();
  return {
    handlers,
    handle(channel: string, listener: Listener) {
      handlers.set(channel, listener);
    },
    removeHandler(channel: string) {
      handlers.delete(channel);
    },
  };
}

function eventFrom(url: string | null, sender: object = {}): IpcMainInvokeEvent {
  return { senderFrame: url === null ? null : { url, parent: null }, sender } as unknown as IpcMainInvokeEvent;
}

describe('IPC handlers', () => {
  function setup(overrides: Partial<IpcServices> = {}) {
    const ipc = recordingIpcMain();
    const calls: unknown[][] = [];
    const till = {} as WebContents;
    const services: IpcServices = {
      hostUrl: () => host,
      terminalOf: (sender) => (sender === till ? { id: 'till-2', name: 'Касса 2' } : undefined),
      async print(sender, content, options) {
        calls.push(['print', sender, content, options]);
        return { printed: true, printer: 'XP-80' };
      },
      async printers() {
        return [{ name: 'XP-80', displayName: 'XP 80', description: '' }];
      },
      ...overrides,
    };
    const unregister = registerIpcHandlers(ipc, services);
    const call = (channel: string, event: IpcMainInvokeEvent, ...args: unknown[]) => ipc.handlers.get(channel)!(event, ...args);
    return { ipc, calls, till, call, unregister };
  }

  it('registers one handler per channel and removes them all', () => {
    const { ipc, unregister } = setup();
    assert.deepEqual([...ipc.handlers.keys()].sort(), Object.values(IPC_CHANNELS).sort());
    unregister();
    assert.equal(ipc.handlers.size, 0);
  });

  it('runs a valid call from the host', async () => {
    const { call, calls, till } = setup();
    const result = await call(IPC_CHANNELS.print, eventFrom(`${host}/`, till), '<p>Чек</p>');
    assert.deepEqual(result, { ok: true, value: { printed: true, printer: 'XP-80' } });
    assert.deepEqual(calls, [['print', till, '<p>Чек</p>', {}]]);
    assert.deepEqual(await call(IPC_CHANNELS.terminal, eventFrom(`${host}/`, till)), {
      ok: true,
      value: { id: 'till-2', name: 'Касса 2' },
    });
  });

  it('refuses a foreign sender before looking at its arguments', async () => {
    const { call, calls } = setup();
    const result = await call(IPC_CHANNELS.print, eventFrom('https://evil.test/'), '<p>x</p>');
    assert.equal(result.ok, false);
    assert.equal(calls.length, 0);
    assert.equal((await call(IPC_CHANNELS.printers, eventFrom(null))).ok, false);
  });

  it('answers invalid arguments with the reason and does not run the call', async () => {
    const { call, calls } = setup();
    const result = await call(IPC_CHANNELS.print, eventFrom(`${host}/`), { path: '//evil.test/' });
    assert.equal(result.ok, false);
    assert.match(!result.ok ? result.error : '', /path must be a path on the till/);
    assert.equal(calls.length, 0);
  });

  it("passes a printer's failure message to the page as it is", async () => {
    const { call } = setup({
      async print() {
        throw new UserFacingError('Принтер не смог напечатать чек. Причина: Print job failed.');
      },
    });
    assert.deepEqual(await call(IPC_CHANNELS.print, eventFrom(`${host}/`), '<p/>'), {
      ok: false,
      error: 'Принтер не смог напечатать чек. Причина: Print job failed.',
    });
  });

  it('says so when a window has no terminal', async () => {
    const { call } = setup();
    const result = await call(IPC_CHANNELS.terminal, eventFrom(`${host}/`, {}));
    assert.deepEqual(result, { ok: false, error: 'Это окно не привязано к кассе.' });
  });
});
