// The preload as Electron runs it: bundled to CommonJS, given `require('electron')`. Here a recording
// stand-in plays contextBridge and ipcRenderer (the real ones exist only inside Electron).
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import vm from 'node:vm';
import { build } from 'esbuild';
import { projectRoot } from '../../helpers/desktop.js';

async function loadPreload(answer: (channel: string, args: unknown[]) => unknown) {
  const bundle = await build({
    entryPoints: [path.join(projectRoot, 'electron', 'preload.ts')],
    bundle: true,
    format: 'cjs',
    platform: 'node',
    external: ['electron'],
    write: false,
    logLevel: 'silent',
  });
  const exposed = new Map<string, unknown>();
  const invocations: Array<[string, unknown[]]> = [];
  const ipcRenderer = {
    invoke: async (channel: string, ...args: unknown[]) => {
      invocations.push([channel, args]);
      return answer(channel, args);
    },
    send() {},
    on() {},
  };
  const electron = { contextBridge: { exposeInMainWorld: (key: string, api: unknown) => exposed.set(key, api) }, ipcRenderer };
  const module = { exports: {} };
  const requireStandIn = (id: string) => {
    if (id === 'electron') return electron;
    throw new Error(`the sandboxed preload may not require ${id}`);
  };
  vm.runInNewContext(bundle.outputFiles[0]!.text, { require: requireStandIn, module, exports: module.exports, Promise, Error });
  return { exposed, invocations, ipcRenderer };
}

describe('preload', () => {
  it('exposes window.pos with a few named functions and no ipcRenderer', async () => {
    const { exposed, ipcRenderer } = await loadPreload(() => ({ ok: true, value: null }));
    assert.deepEqual([...exposed.keys()], ['pos']);
    const pos = exposed.get('pos') as Record<string, unknown>;
    assert.deepEqual(Object.keys(pos).sort(), ['isDesktop', 'print', 'printers', 'terminal']);
    assert.equal(pos.isDesktop, true);
    for (const value of Object.values(pos)) {
      assert.notEqual(value, ipcRenderer);
      assert.notEqual(value, ipcRenderer.invoke);
    }
  });

  it('calls the named channels and returns their values', async () => {
    const { exposed, invocations } = await loadPreload((channel) =>
      channel === 'pos:terminal' ? { ok: true, value: { id: 'till-1', name: 'Касса 1' } } : { ok: true, value: { printed: true } },
    );
    const pos = exposed.get('pos') as {
      print(content: unknown, options?: unknown): Promise<unknown>;
      terminal(): Promise<unknown>;
      printers(): Promise<unknown>;
    };
    assert.deepEqual(await pos.terminal(), { id: 'till-1', name: 'Касса 1' });
    assert.deepEqual(await pos.print('<p>Чек</p>', { widthMm: 58 }), { printed: true });
    await pos.printers();
    assert.deepEqual(invocations, [
      ['pos:terminal', []],
      ['pos:print', ['<p>Чек</p>', { widthMm: 58 }]],
      ['pos:printers', []],
    ]);
  });

  it("turns a refused call into an Error with main's message", async () => {
    const { exposed } = await loadPreload(() => ({ ok: false, error: 'Принтер «X» не найден.' }));
    const pos = exposed.get('pos') as { print(content: unknown): Promise<unknown> };
    await assert.rejects(pos.print('<p/>'), { message: 'Принтер «X» не найден.' });
  });
});
