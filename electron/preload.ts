// Runs in every cashier and customer-display window before the page, sandboxed and context-isolated.
// It exposes a handful of named functions as `window.pos`; ipcRenderer itself never reaches the page.
// Bundled to dist/electron/preload.cjs (CommonJS, as sandboxed preloads require).
import { contextBridge, ipcRenderer } from 'electron';
import { IPC_CHANNELS, type IpcResult } from './ipc-channels.js';

async function call<T>(channel: string, ...args: unknown[]): Promise<T> {
  const result = (await ipcRenderer.invoke(channel, ...args)) as IpcResult<T>;
  if (result && result.ok) return result.value;
  throw new Error(result?.error ?? 'Настольное приложение не ответило на запрос.');
}

contextBridge.exposeInMainWorld('pos', {
  isDesktop: true,
  /**
   * Prints receipt HTML, or a page of the till ({ path: '/receipt/42/print' }), or with no content the page
   * in launch.print.path, silently to the configured printer. Options: { printer, widthMm, copies }.
   */
  print: (content?: unknown, options?: unknown) => call(IPC_CHANNELS.print, content, options),
  /** The printers installed on this computer: [{ name, displayName, description }]. */
  printers: () => call(IPC_CHANNELS.printers),
  /** This window's terminal: { id, name }. */
  terminal: () => call(IPC_CHANNELS.terminal),
});
