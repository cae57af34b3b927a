// LAN mode: the host announces itself by mDNS (DNS-SD, _http._tcp) so devices and the desktop program in
// terminal mode can find it without typing an address.
import os from 'node:os';
import { importModule } from '../manifest/import-module.js';

export interface Announcement {
  stop(): Promise<void>;
}

export const SERVICE_TYPE = 'http';
export const SERVICE_SUBTYPE = 'serverokey';

export async function announceHost(port: number, appName: string, log: { warn(message: string): void }): Promise<Announcement> {
  try {
    const { Bonjour } = await importModule<typeof import('bonjour-service')>('bonjour-service');
    const bonjour = new Bonjour(undefined, (error: Error) => log.warn(`mDNS: ${error.message}`));
    const service = bonjour.publish({
      name: `${appName} (${os.hostname()})`,
      type: SERVICE_TYPE,
      subtypes: [SERVICE_SUBTYPE],
      port,
      txt: { path: '/', pair: '/__pair', app: appName },
    });
    service.on('error', (error: Error) => log.warn(`mDNS: ${error.message}`));
    return {
      stop: () =>
        new Promise<void>((resolve) => {
          bonjour.unpublishAll(() => {
            bonjour.destroy();
            resolve();
          });
        }),
    };
  } catch (error) {
    log.warn(`mDNS announcement is off: ${(error as Error).message}`);
    return { stop: async () => {} };
  }
}
