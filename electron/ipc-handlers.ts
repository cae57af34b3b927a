// The main-process side of window.pos. Every call: is the sender a main frame of our host? are its
// arguments valid? Only then does the real work run. Uses Electron types only, so it runs in Node tests.
import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import { IPC_CHANNELS, type IpcChannel, type IpcResult } from './ipc-channels.js';
import { isTrustedSender, parseIpcArgs, type IpcArgs, type PrintContent, type PrintRequestOptions } from './ipc-schema.js';
import type { PrinterSummary } from './print-options.js';
import type { TerminalSpec } from './window-plan.js';

export interface PrintOutcome {
  printed: true;
  /** the printer used; 'default' for the system default printer */
  printer: string;
}

export interface IpcServices {
  hostUrl(): string;
  terminalOf(sender: WebContents): TerminalSpec | undefined;
  /** content undefined: print launch.print.path */
  print(sender: WebContents, content: PrintContent | undefined, options: PrintRequestOptions): Promise<PrintOutcome>;
  printers(sender: WebContents): Promise<PrinterSummary[]>;
  log?(message: string): void;
}

/** A failure whose message is meant for the cashier (print errors); other errors get a generic message. */
export class UserFacingError extends Error {
  override name = 'UserFacingError';
}

type Handler<C extends IpcChannel> = (event: IpcMainInvokeEvent, args: IpcArgs<C>) => Promise<unknown> | unknown;

export function registerIpcHandlers(ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>, services: IpcServices): () => void {
  const log = services.log ?? (() => {});

  function handle<C extends IpcChannel>(channel: C, handler: Handler<C>): void {
    ipcMain.handle(channel, async (event, ...raw: unknown[]): Promise<IpcResult<unknown>> => {
      if (!isTrustedSender(event, services.hostUrl())) {
        log(`refused ${channel} from ${event.senderFrame?.url ?? 'a closed frame'}`);
        return { ok: false, error: 'Этот вызов доступен только страницам кассы.' };
      }
      const parsed = parseIpcArgs(channel, raw);
      if (!parsed.ok) return { ok: false, error: parsed.error };
      try {
        return { ok: true, value: await handler(event, parsed.args) };
      } catch (error) {
        if (error instanceof UserFacingError) return { ok: false, error: error.message };
        log(`${channel} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
        return { ok: false, error: `Не удалось выполнить действие: ${error instanceof Error ? error.message : String(error)}` };
      }
    });
  }

  handle(IPC_CHANNELS.print, (event, [content, options]) => services.print(event.sender, content, options ?? {}));
  handle(IPC_CHANNELS.printers, (event) => services.printers(event.sender));
  handle(IPC_CHANNELS.terminal, (event) => {
    const terminal = services.terminalOf(event.sender);
    if (!terminal) throw new UserFacingError('Это окно не привязано к кассе.');
    return { id: terminal.id, name: terminal.name };
  });

  return () => {
    for (const channel of Object.values(IPC_CHANNELS)) ipcMain.removeHandler(channel);
  };
}
