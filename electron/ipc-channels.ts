// The names of the few IPC calls a page may make. Shared by the preload (bundled into it) and the main
// process, so it must stay free of imports: the sandboxed preload cannot load anything at run time.

export const IPC_CHANNELS = {
  print: 'pos:print',
  printers: 'pos:printers',
  terminal: 'pos:terminal',
} as const;

export type IpcChannel = (typeof IPC_CHANNELS)[keyof typeof IPC_CHANNELS];

/** What a failed IPC call answers; the preload turns it into a rejected promise with this message. */
export interface IpcFailure {
  ok: false;
  error: string;
}

export interface IpcSuccess<T> {
  ok: true;
  value: T;
}

export type IpcResult<T> = IpcSuccess<T> | IpcFailure;
