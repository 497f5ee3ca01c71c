// Thin adapters around the real npm DDP clients, so the same method scenarios run through each.
// Every adapter records the raw text frames it received (and, where possible, the frames it
// sent) so tests can check the wire as well as what the library hands to application code.
import DDPClient from 'ddp';
import simpleDDP from 'simpleddp';
import WebSocket from 'ws';
import { DDP_URL, withTimeout } from './common.mjs';

async function waitFor(pred, timeout, what) {
  const deadline = Date.now() + timeout;
  while (!pred()) {
    if (Date.now() > deadline) throw new Error(`timeout after ${timeout} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

function rawResultFrame(raw, id) {
  for (const text of raw) {
    let m; try { m = JSON.parse(text); } catch { continue; }
    if (m && m.msg === 'result' && m.id === id) return { text, frame: m };
  }
  return undefined;
}

/**
 * Connect a simpleddp instance; returns the function that shuts it down (also used when
 * the connection fails, so no reconnect timer keeps the test process alive).
 */
export async function connectSimpleDdp(server) {
  const shutdown = () => {
    server.ddpConnection.autoReconnect = false;
    try { server.ddpConnection.socket.close(); } catch { /* gone */ }
  };
  try {
    await withTimeout(server.connect(), 5000, 'simpleddp connect');
  } catch (e) { shutdown(); throw e; }
  return shutdown;
}

/**
 * npm `ddp` (oortcloud/node-ddp-client 0.12.x) over a raw WebSocket (faye-websocket),
 * `url` option, useSockJs false. Method errors arrive as the first callback argument: the
 * plain wire error object after EJSON.parse of the whole message.
 */
export async function openDdpNpm({ url = DDP_URL, ddpVersion, maintainCollections = false } = {}) {
  const raw = []; const sent = []; const resultOrder = [];
  const client = new DDPClient({
    url, autoReconnect: false, maintainCollections, ...(ddpVersion ? { ddpVersion } : {}),
  });
  // the library has no event for outgoing frames: record what _send serialises
  const send = client._send.bind(client);
  client._send = (data) => { sent.push(client.EJSON.stringify(data)); send(data); };
  client.on('message', (data) => raw.push(data));
  // ddp opens a new socket on `failed` without closing the old one: keep them all to close them.
  const sockets = [];
  const makeSocket = client._makeWebSocketConnection.bind(client);
  client._makeWebSocketConnection = (u) => { makeSocket(u); sockets.push(client.socket); };
  const shutdown = () => {
    client.connect = () => {}; // stop any further (re)negotiation
    client.autoReconnect = false;
    client._isClosing = true;
    client.removeAllListeners('connected');
    client.removeAllListeners('failed');
    for (const s of sockets) { try { s.close(); } catch { /* gone */ } }
    // a server that never answers the close handshake must not keep the test process alive
    setTimeout(() => { for (const s of sockets) { try { s._stream.destroy(); } catch { /* gone */ } } }, 1000).unref();
  };
  try {
    await withTimeout(new Promise((resolve, reject) => {
      client.connect((err) => (err ? reject(new Error(`ddp connect failed: ${err}`)) : resolve()));
    }), 5000, 'ddp connect');
  } catch (e) { shutdown(); throw e; }
  return {
    lib: 'ddp',
    client,
    sockets,
    raw,
    sent,
    resultOrder,
    session: () => client.session,
    /** Resolves {id, error, result} once both the result and the updated message arrived. */
    call(name, args, timeout = 5000) {
      let id;
      const p = new Promise((resolve) => {
        let out = null; let updated = false;
        const done = () => { if (out && updated) resolve(out); };
        client.call(name, args, (error, result) => {
          resultOrder.push(id);
          out = { id, error, result };
          done();
        }, () => { updated = true; done(); });
        id = String(client._nextId); // ddp numbers its method ids "1", "2", ...
      });
      return withTimeout(p, timeout, `ddp call ${name}`);
    },
    rawResult: (id) => rawResultFrame(raw, id),
    async close() { shutdown(); },
  };
}

/**
 * npm `simpleddp` (2.2.x over simpleddp-core) with `ws` as SocketConstructor. `call` returns a
 * promise that rejects with the plain wire error object (not an Error instance).
 */
export async function openSimpleDdp({ url = DDP_URL } = {}) {
  const raw = []; const sent = []; const resultOrder = []; const updatedIds = new Set();
  class CapturingWebSocket extends WebSocket {
    constructor(u) { super(u); this.on('message', (d) => raw.push(d.toString('utf8'))); }
  }
  const server = new simpleDDP({
    endpoint: url, SocketConstructor: CapturingWebSocket, autoReconnect: false, maxTimeout: 10000,
  });
  server.ddpConnection.socket.on('message:out', (m) => sent.push(m));
  server.ddpConnection.on('result', (m) => resultOrder.push(m.id));
  server.ddpConnection.on('updated', (m) => { for (const id of m.methods || []) updatedIds.add(id); });
  const shutdown = await connectSimpleDdp(server);
  return {
    lib: 'simpleddp',
    client: server,
    raw,
    sent,
    resultOrder,
    session: () => server.ddpConnection.sessionId,
    async call(name, args, timeout = 5000) {
      const p = server.apply(name, args);
      const frame = sent[sent.length - 1]; // sent synchronously while connected
      if (!frame || frame.msg !== 'method' || frame.method !== name) throw new Error('could not see the method frame simpleddp sent');
      const { id } = frame;
      const out = await withTimeout(p.then((result) => ({ id, result }), (error) => ({ id, error })), timeout, `simpleddp call ${name}`);
      await waitFor(() => updatedIds.has(id), timeout, `updated for method ${id}`);
      return out;
    },
    rawResult: (id) => rawResultFrame(raw, id),
    async close() {
      await withTimeout(server.disconnect(), 3000, 'simpleddp disconnect').catch(() => {});
      shutdown();
    },
  };
}
