// Runs a fixture app's host in its own process so a test can SIGKILL it:
//   node --import tsx fixture-host-child.ts <appDir> <dataDir>
// prints "URL <url>" once listening; SIGTERM closes the host cleanly. Started by startHostChild (host-child.ts).
import { createHost } from '../../server/host.js';

const [appDir, dataDir] = process.argv.slice(2);
if (!appDir || !dataDir) {
  process.stderr.write('usage: fixture-host-child.ts <appDir> <dataDir>\n');
  process.exit(2);
}
const host = await createHost({ appDir, dataDir, port: 0, quiet: true });
process.stdout.write(`URL ${host.url}\n`);
process.on('SIGTERM', () => {
  host.close().then(
    () => process.exit(0),
    (error) => {
      process.stderr.write(`close failed: ${(error as Error).message}\n`);
      process.exit(1);
    },
  );
});
