import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigServerClient } from '../../../core/configserver';
import { createLabEstate } from '../../../core/lab/estate';

/**
 * A server that reads a whole vCenter before it answers sends nothing for a long while: the
 * endpoint inventory call waits for it, where an ordinary call gives up at the client's timeout.
 */
let server: Server;
let url: string;
const inventory = createLabEstate({ vms: 4 }).primary;

beforeAll(async () => {
  server = createServer((req, res) => {
    const body = req.url?.includes('/inventory') ? inventory : { items: [] };
    setTimeout(() => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(body));
    }, 800);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

describe('configuration server client timeouts', () => {
  it('gives an ordinary call up at its timeout, and lets an endpoint inventory read take longer', async () => {
    const client = new ConfigServerClient({ url, token: 't', timeoutMs: 200 });
    try {
      await expect(client.listSites()).rejects.toMatchObject({
        code: 'timeout',
        message: expect.stringMatching(/GET \/api\/v1\/sites took longer than 200 ms/),
      });
      const doc = await client.endpointInventory('vcsa-ams');
      expect(doc.source).toEqual(inventory.source);
    } finally {
      client.close();
    }
  });
});
