// Local targets the checks probe: an SSH-ish banner server, an HTTP server, a port that can close.
import { createServer as createHttpServer } from 'node:http';
import type { AddressInfo, Server } from 'node:net';
import { createServer } from 'node:net';

const nginx404 =
  '<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n<center><h1>404 Not Found</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';

async function listenOn(server: Server, port = 0): Promise<number> {
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  return (server.address() as AddressInfo).port;
}

/** A server that greets with a banner the test can change. */
export async function bannerTarget(banner = 'SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3') {
  const state = { banner };
  const server = createServer((s) => {
    s.on('error', () => undefined);
    s.write(`${state.banner}\r\n`);
  });
  const port = await listenOn(server);
  return { port, set: (b: string) => (state.banner = b), close: () => server.close() };
}

/** An HTTP server whose status the test can flip between 200 and an nginx-style 404. */
export async function httpTarget() {
  const state = { status: 200 };
  const server = createHttpServer((_req, res) => {
    if (state.status === 404) res.writeHead(404, { 'content-type': 'text/html' }).end(nginx404);
    else res.writeHead(state.status).end('<html><body>Welcome to alpha</body></html>');
  });
  const port = await listenOn(server);
  return { port, set: (s: number) => (state.status = s), close: () => server.close() };
}

/** A TCP port that can stop listening and start again on the same number. */
export async function portTarget() {
  let server = createServer((s) => s.end());
  const port = await listenOn(server);
  return {
    port,
    async stop() {
      await new Promise((r) => server.close(r));
    },
    async start() {
      server = createServer((s) => s.end());
      await listenOn(server, port);
    },
    close: () => server.close(),
  };
}
