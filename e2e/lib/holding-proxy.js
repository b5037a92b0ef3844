// An HTTP proxy in front of the S3 server that can hold uploads back, so that a test can decide
// when a sealer's upload reaches the store: what a slow network does to an upload, on demand.
// Requests are forwarded byte for byte, headers included, so the store checks the node's own
// Signature V4 (which signs the proxy's address as the host).
import http from 'node:http';

/**
 * Starts a proxy to `target` (`http://host:port`). While `holdUploads` is true, each `PUT` is
 * kept, with its object key in `held()`, until `releaseUploads()` forwards them.
 */
export async function startHoldingProxy(target) {
  const upstream = new URL(target);
  let waiting = [];
  const forward = (request, body, response) => {
    const outgoing = http.request({
      host: upstream.hostname,
      port: upstream.port,
      method: request.method,
      path: request.url,
      headers: request.headers,
    }, (answer) => {
      response.writeHead(answer.statusCode, answer.headers);
      answer.pipe(response);
    });
    outgoing.on('error', () => {
      response.writeHead(502);
      response.end();
    });
    outgoing.end(body);
  };
  const proxy = {
    holdUploads: false,
    /** The object keys of the uploads held back. */
    held: () => waiting.map(({ key }) => key),
    releaseUploads() {
      const released = waiting;
      waiting = [];
      for (const { request, body, response } of released) forward(request, body, response);
    },
    close: () => new Promise((resolve) => {
      proxy.releaseUploads();
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
  const server = http.createServer((request, response) => {
    const chunks = [];
    request.on('data', (chunk) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks);
      if (request.method === 'PUT' && proxy.holdUploads) {
        const key = new URL(request.url, 'http://proxy').pathname.split('/').pop();
        waiting.push({ key, request, body, response });
      } else {
        forward(request, body, response);
      }
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxy.endpoint = `http://127.0.0.1:${server.address().port}`;
  return proxy;
}
