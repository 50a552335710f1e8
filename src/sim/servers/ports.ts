/**
 * Port choice for servers configured with port 0 whose library cannot report the port it bound (node-opcua).
 */
import { createServer, type AddressInfo } from 'node:net';

/** A port free on `host` right now (another process could still take it before we do). */
export function pickFreePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
