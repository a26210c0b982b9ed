import { type AddressInfo, createServer } from 'node:net';
import type { LabConnection, LabServerHandle } from '../../core/console/lab-connections';
import type { LabEstate } from '../../core/lab';
import { startLab } from '.';

/**
 * The lab configuration server as the console opens it: started in the background on a port
 * chosen now, so the console lists the connection at once; its token waits for the server.
 */
export async function startConsoleLabServer(dataDir: string, estate: LabEstate): Promise<LabServerHandle> {
  const port = await freePort();
  // An estate that has been replicating a while: most pairs have their copy, a few still copy.
  const starting = startLab({ dataDir, port, estate, log: () => undefined, agent: { preSeeded: 0.9 } });
  starting.catch(() => undefined);
  return {
    connection: labServerConnection(`http://127.0.0.1:${port}`, async () => (await starting).adminToken),
    async stop() {
      const lab = await starting.catch(() => null);
      await lab?.stop();
    },
  };
}

/** The lab configuration server as a console connection; its token exists only in memory. */
export function labServerConnection(url: string, token: () => Promise<string>): LabConnection {
  return {
    connection: {
      id: 'lab-configserver',
      name: 'Lab configuration server',
      site: 'primary',
      target: { kind: 'configserver', url },
      trust: { kind: 'loopback' },
      hasSecret: true,
      lab: true,
    },
    source: null,
    secrets: async () => ({ token: await token() }),
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
