// What each IPC call may carry, and who may make it. A page is untrusted input even when it is our own:
// every handler first checks the sender's origin, then parses its arguments here.
import { z } from 'zod';
import { IPC_CHANNELS, type IpcChannel } from './ipc-channels.js';
import { isSameOrigin } from './security.js';

/** Receipt HTML is small; a megabyte is far beyond any receipt and keeps a runaway page from flooding main. */
export const MAX_PRINT_HTML_CHARS = 1_000_000;

/** A page of the till to print, as an absolute path on the host (never another origin). */
export const printPathSchema = z.strictObject({
  path: z
    .string()
    .min(1)
    .max(2048)
    .refine((p) => p.startsWith('/') && !p.startsWith('//') && !p.includes('\\'), {
      message: 'path must be a path on the till, starting with a single "/"',
    }),
});

export const printContentSchema = z.union([
  z.string().min(1, 'nothing to print: the receipt HTML is empty').max(MAX_PRINT_HTML_CHARS),
  printPathSchema,
]);

export const printRequestOptionsSchema = z.strictObject({
  /** the printer's system name; default: launch.print.printer, then the system default printer */
  printer: z.string().min(1).max(256).optional(),
  /** paper width; receipt printers use 58 or 80 mm rolls */
  widthMm: z.number().min(30).max(120).optional(),
  copies: z.number().int().min(1).max(10).optional(),
});

export type PrintContent = z.infer<typeof printContentSchema>;
export type PrintRequestOptions = z.infer<typeof printRequestOptionsSchema>;

const noArgs = z.tuple([]);

export const ipcArgSchemas = {
  /** no content: the page named by launch.print.path */
  [IPC_CHANNELS.print]: z.tuple([printContentSchema.optional(), printRequestOptionsSchema.optional()]),
  [IPC_CHANNELS.printers]: noArgs,
  [IPC_CHANNELS.terminal]: noArgs,
} satisfies Record<IpcChannel, z.ZodType>;

export type IpcArgs<C extends IpcChannel> = z.infer<(typeof ipcArgSchemas)[C]>;

export type ParsedIpcArgs<C extends IpcChannel> = { ok: true; args: IpcArgs<C> } | { ok: false; error: string };

/**
 * Validates the arguments of one call. Trailing `undefined`s are dropped first: the preload passes optional
 * arguments positionally, and `pos.print(html)` arrives as [html, undefined].
 */
export function parseIpcArgs<C extends IpcChannel>(channel: C, args: readonly unknown[]): ParsedIpcArgs<C> {
  const schema = (ipcArgSchemas as Record<string, z.ZodType | undefined>)[channel];
  if (!schema) return { ok: false, error: `unknown call ${String(channel)}` };
  const trimmed = [...args];
  while (trimmed.length > 0 && trimmed[trimmed.length - 1] === undefined) trimmed.pop();
  const result = schema.safeParse(trimmed);
  if (result.success) return { ok: true, args: result.data as IpcArgs<C> };
  const problems = result.error.issues.map((issue) => {
    const where = issue.path.length > 0 ? `argument ${issue.path.map(String).join('.')}: ` : '';
    return `${where}${issue.message}`;
  });
  return { ok: false, error: `invalid arguments for ${channel}: ${problems.join('; ')}` };
}

/** The parts of an IPC event the origin check needs (Electron's IpcMainInvokeEvent has them). */
export interface IpcSenderInfo {
  senderFrame?: { url: string; parent?: unknown } | null;
}

/**
 * Only the main frame of a page served by our host may call: not an iframe (it could embed anything), not a
 * page the window was somehow navigated to, not a frame that is gone (senderFrame null).
 */
export function isTrustedSender(event: IpcSenderInfo, hostUrl: string): boolean {
  const frame = event.senderFrame;
  if (!frame) return false;
  if (frame.parent) return false;
  return isSameOrigin(frame.url, hostUrl);
}
