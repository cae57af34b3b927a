// Where `npm start` (without Electron) and `npm run seed` keep the till's data, per platform.
import os from 'node:os';
import path from 'node:path';

export function defaultDataDir() {
  if (process.env.SERVEROKEY_DATA) return path.resolve(process.env.SERVEROKEY_DATA);
  const home = os.homedir();
  if (process.platform === 'win32') return path.join(process.env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'serverokey-pos');
  if (process.platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'serverokey-pos');
  return path.join(process.env.XDG_DATA_HOME ?? path.join(home, '.local', 'share'), 'serverokey-pos');
}
