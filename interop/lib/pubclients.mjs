// Publication-side adapters around the real npm DDP clients, so the same subscription scenarios
// run through each. Every adapter exposes:
//   lib                          library name
//   subscribe(name, params)      -> { id, ready(): Promise (rejects with the nosub error),
//                                     stop(): Promise (resolves once the server's nosub arrived) }
//   docs(collection)             the library's own local copy: Map id -> fields (without the id key)
//   events                       data messages as the library reports them: {msg, collection, id, fields, cleared}
//   call(name, args)             -> Promise of the method result (rejects with the wire error)
//   close()
import DDPClient from 'ddp';
import simpleDDP from 'simpleddp';
import WebSocket from 'ws';
import { createRequire } from 'node:module';
import { DDP_URL, withTimeout } from './common.mjs';
import { connectSimpleDdp } from './clients.mjs';

const require = createRequire(import.meta.url);

// simpleddp's ddpSubscription constructor calls start(), which returns ready(), and drops that
// promise: for a subscription answered with nosub+error this is an unhandled rejection (which
// node:test reports as a failure). Mark the promise start() returns as handled; ready() still
// rejects for the caller.
const { ddpSubscription } = require('simpleddp/lib/classes/ddpSubscription.js');
if (!ddpSubscription.prototype.start.__handled) {
  const start = ddpSubscription.prototype.start;
  ddpSubscription.prototype.start = function patchedStart(...args) {
    const p = start.apply(this, args);
    if (p && typeof p.catch === 'function') p.catch(() => {});
    return p;
  };
  ddpSubscription.prototype.start.__handled = true;
}

/** Polls pred() every 5 ms; rejects with `what` after timeout ms. */
export async function waitFor(pred, timeout = 5000, what = 'condition') {
  const deadline = Date.now() + timeout;
  for (;;) {
    const v = pred();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timeout after ${timeout} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

const stripId = (doc, key) => { const { [key]: _drop, ...rest } = doc; return rest; };

/**
 * npm `ddp` with maintainCollections: true. Its local collections are `client.collections[name][id]`
 * (documents carry `_id`); subscribe's callback fires on `ready` (no argument) or `nosub` (error).
 * The library has no per-message data events, only the raw `message` event, which is EJSON-parsed
 * here with the library's own EJSON.
 */
export async function openDdpPub({ url = DDP_URL } = {}) {
  const client = new DDPClient({ url, autoReconnect: false, maintainCollections: true });
  const events = []; const nosubs = new Map();
  client.on('message', (text) => {
    let m; try { m = client.EJSON.parse(text); } catch { return; }
    if (m.msg === 'added' || m.msg === 'changed' || m.msg === 'removed') events.push(m);
    if (m.msg === 'nosub') nosubs.set(m.id, m);
  });
  const shutdown = () => {
    client.autoReconnect = false;
    client._isClosing = true;
    try { client.socket.close(); } catch { /* gone */ }
    setTimeout(() => { try { client.socket._stream.destroy(); } catch { /* gone */ } }, 1000).unref();
  };
  try {
    await withTimeout(new Promise((resolve, reject) => {
      client.connect((err) => (err ? reject(new Error(`ddp connect failed: ${err}`)) : resolve()));
    }), 5000, 'ddp connect');
  } catch (e) { shutdown(); throw e; }
  return {
    lib: 'ddp',
    client,
    events,
    subscribe(name, params = []) {
      let settle;
      const readyP = new Promise((resolve, reject) => { settle = (err) => (err ? reject(err) : resolve()); });
      readyP.catch(() => {}); // observed through ready()
      const id = client.subscribe(name, params, (err) => settle(err));
      return {
        id,
        ready: (timeout = 5000) => withTimeout(readyP, timeout, `ddp ready of ${name}`),
        async stop(timeout = 5000) {
          client.unsubscribe(id);
          await waitFor(() => nosubs.has(id), timeout, `ddp nosub after unsub of ${name}`);
        },
      };
    },
    docs(collection) {
      const c = client.collections[collection] || {};
      return new Map(Object.entries(c).map(([id, doc]) => [id, stripId(doc, '_id')]));
    },
    call(name, args, timeout = 5000) {
      return withTimeout(new Promise((resolve, reject) => {
        client.call(name, args, (err, result) => (err ? reject(err) : resolve(result)));
      }), timeout, `ddp call ${name}`);
    },
    async close() { shutdown(); },
  };
}

/**
 * npm `simpleddp` (`ws` as SocketConstructor, autoReconnect false). Local collections are
 * `server.collections[name]`, arrays of `{id, ...fields}`; `subscribe` returns a ddpSubscription
 * whose ready() rejects with the nosub error and whose stop() resolves on the nosub.
 */
export async function openSimpleDdpPub({ url = DDP_URL } = {}) {
  const server = new simpleDDP({ endpoint: url, SocketConstructor: WebSocket, autoReconnect: false, maxTimeout: 10000 });
  const events = [];
  for (const msg of ['added', 'changed', 'removed']) server.on(msg, (m) => events.push(m));
  const shutdown = await connectSimpleDdp(server);
  return {
    lib: 'simpleddp',
    client: server,
    events,
    subscribe(name, params = []) {
      const sub = server.subscribe(name, ...params);
      return {
        get id() { return sub.subscriptionId; },
        sub,
        ready: (timeout = 5000) => withTimeout(sub.ready(), timeout, `simpleddp ready of ${name}`),
        stop: (timeout = 5000) => withTimeout(sub.stop(), timeout, `simpleddp stop of ${name}`),
      };
    },
    docs(collection) {
      const c = server.collections[collection] || [];
      return new Map(c.map((doc) => [doc.id, stripId(doc, 'id')]));
    },
    call(name, args, timeout = 5000) {
      return withTimeout(server.apply(name, args), timeout, `simpleddp call ${name}`);
    },
    async close() {
      await withTimeout(server.disconnect(), 3000, 'simpleddp disconnect').catch(() => {});
      shutdown();
    },
  };
}

/**
 * npm `@rocket.chat/ddp-client` (DDPSDK). It keeps no local collections: it hands
 * applications the data messages through `client.onCollection(name, cb)`, decoded with plain
 * JSON.parse (no EJSON, so a Date stays `{$date: n}`). docs() is the view an application
 * builds from exactly those callbacks. DDPSDK.create uses the global WebSocket (absent in Node 20
 * without a flag): `ws` is lent as the global only for the synchronous create call.
 * Returns undefined when the package is not installed.
 */
export async function openRocketChatPub({ url = DDP_URL } = {}) {
  let DDPSDK;
  try { ({ DDPSDK } = require('@rocket.chat/ddp-client')); } catch { return undefined; }
  const base = url.replace(/\/websocket\/?$/, '');
  const hadWs = Object.prototype.hasOwnProperty.call(globalThis, 'WebSocket');
  const prevWs = globalThis.WebSocket;
  globalThis.WebSocket = WebSocket;
  let sdk;
  try { sdk = DDPSDK.create(base, { retryCount: 0, retryTime: 100 }); } finally {
    if (hadWs) globalThis.WebSocket = prevWs; else delete globalThis.WebSocket;
  }
  const events = []; const views = new Map(); const watched = new Set();
  const watch = (collection) => {
    if (watched.has(collection)) return;
    watched.add(collection);
    const view = new Map();
    views.set(collection, view);
    sdk.client.onCollection(collection, (m) => {
      events.push(m);
      if (m.msg === 'added') view.set(m.id, { ...(m.fields || {}) });
      else if (m.msg === 'changed') {
        const d = view.get(m.id) || {};
        Object.assign(d, m.fields || {});
        for (const f of m.cleared || []) delete d[f];
        view.set(m.id, d);
      } else if (m.msg === 'removed') view.delete(m.id);
    });
  };
  // connection.close() does not emit 'close', so the SDK's heartbeat/timeout timers would keep
  // running (and the process alive) until they fire: stop them as well
  const shutdown = () => {
    try { sdk.connection.close(); } catch { /* gone */ }
    try { sdk.timeoutControl.stop(); } catch { /* gone */ }
  };
  try {
    await withTimeout(sdk.connection.connect(), 5000, '@rocket.chat/ddp-client connect');
  } catch (e) { shutdown(); throw e; }
  return {
    lib: '@rocket.chat/ddp-client',
    client: sdk,
    events,
    /** this client needs to know collections up front: watch(collection) before subscribing */
    watch,
    subscribe(name, params = []) {
      const sub = sdk.client.subscribe(name, ...params);
      const readyP = sub.ready();
      readyP.catch(() => {});
      return {
        id: sub.id,
        sub,
        ready: (timeout = 5000) => withTimeout(readyP, timeout, `rocket.chat ready of ${name}`),
        async stop(timeout = 5000) {
          const nosub = new Promise((resolve) => sdk.client.ddp.onNoSub(sub.id, resolve));
          sub.stop();
          await withTimeout(nosub, timeout, `rocket.chat nosub after stop of ${name}`);
        },
      };
    },
    docs(collection) { return new Map(views.get(collection) || []); },
    call(name, args, timeout = 5000) {
      return withTimeout(sdk.call(name, ...args), timeout, `rocket.chat call ${name}`);
    },
    async close() { shutdown(); },
  };
}
