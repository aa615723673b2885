/**
 * The local inspector's HTTP + WebSocket server, on loopback by default: the page, its script, the
 * statechart SVG, JSON views of the legs, and a WebSocket that pushes every update to every page.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { LegStore } from './leg-store.js';
import type { MachineRegistry } from './machine-registry.js';
import { PAGE_HTML } from './page-html.js';
import { PAGE_SCRIPT } from './page-script.js';
import { formatHostPort } from '../log/host-port.js';

export interface InspectorServer {
  readonly url: string;
  close(): Promise<void>;
}

export async function serveInspector(
  store: LegStore,
  machines: MachineRegistry,
  host: string,
  port: number,
): Promise<InspectorServer> {
  const server = createServer((request, response) => {
    route(request, response, store, machines).catch(() => reply(response, 500, 'text/plain', 'inspector error'));
  });
  const sockets = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  server.on('upgrade', (request, socket, head) => {
    if (new URL(request.url ?? '/', 'http://inspector').pathname !== '/ws') {
      socket.destroy();
      return;
    }
    sockets.handleUpgrade(request, socket, head, (client) => sockets.emit('connection', client, request));
  });
  sockets.on('connection', (client: WebSocket) => {
    client.on('error', () => client.terminate());
    sendTo(client, { type: 'legs', legs: store.summaries() });
    client.on('message', (data) => {
      const request = parse(data.toString());
      if (request?.type === 'select' && typeof request.legId === 'string') {
        sendTo(client, { type: 'detail', legId: request.legId, detail: store.detail(request.legId) ?? null });
      }
    });
  });
  const unsubscribe = store.onUpdate((update) => {
    const text = JSON.stringify(update);
    for (const client of sockets.clients) if (client.readyState === client.OPEN) client.send(text);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://${formatHostPort(address.address, address.port)}/`,
    close: () => closeAll(server, sockets, unsubscribe),
  };
}

async function route(
  request: IncomingMessage,
  response: ServerResponse,
  store: LegStore,
  machines: MachineRegistry,
): Promise<void> {
  const path = new URL(request.url ?? '/', 'http://inspector').pathname;
  if (request.method !== 'GET') return reply(response, 405, 'text/plain', 'only GET');
  if (path === '/' || path === '/index.html') return reply(response, 200, 'text/html; charset=utf-8', PAGE_HTML);
  if (path === '/app.js') return reply(response, 200, 'text/javascript; charset=utf-8', PAGE_SCRIPT);
  if (path === '/api/legs') return reply(response, 200, 'application/json', JSON.stringify(store.summaries()));
  const leg = /^\/api\/legs\/([^/]+)$/.exec(path);
  if (leg) {
    const detail = store.detail(decodeURIComponent(leg[1]));
    return detail
      ? reply(response, 200, 'application/json', JSON.stringify(detail))
      : reply(response, 404, 'text/plain', 'no such leg');
  }
  const machine = /^\/api\/machines\/([A-Za-z0-9_-]+)\.(svg|json)$/.exec(path);
  if (machine) {
    if (machine[2] === 'json') {
      const graph = machines.graph(machine[1]);
      return graph ? reply(response, 200, 'application/json', JSON.stringify(graph)) : reply(response, 404, 'text/plain', 'no such machine');
    }
    const svg = machines.svg(machine[1]);
    return svg ? reply(response, 200, 'image/svg+xml', await svg) : reply(response, 404, 'text/plain', 'no such machine');
  }
  return reply(response, 404, 'text/plain', 'not found');
}

function reply(response: ServerResponse, status: number, type: string, body: string): void {
  response.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
  response.end(body);
}

function sendTo(client: WebSocket, message: unknown): void {
  if (client.readyState === client.OPEN) client.send(JSON.stringify(message));
}

function parse(text: string): { type?: unknown; legId?: unknown } | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' ? (value as { type?: unknown; legId?: unknown }) : undefined;
  } catch {
    return undefined;
  }
}

async function closeAll(server: Server, sockets: WebSocketServer, unsubscribe: () => void): Promise<void> {
  unsubscribe();
  for (const client of sockets.clients) client.terminate();
  await new Promise<void>((resolve) => sockets.close(() => resolve()));
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}
