// One DDP connection of the page, over ddp.js: the socket (a browser WebSocket on /websocket or
// a SockJS socket on /sockjs), the retry countdown, method calls with a randomSeed, the
// subscriptions and the documents they bring, and the login. ddp.js speaks the protocol
// (connect, ping/pong, a queue of frames sent once connected); this class adds what a page
// needs on top, as Meteor's client does.
import ddpJs from 'ddp.js';
import SockJS from 'sockjs-client';

// ddp.js is CommonJS compiled from an ES module: its class is the `default` export
const DDP = ddpJs.default ?? ddpJs;

/** Time between losing the connection and the next attempt, shown as a countdown. */
export const RETRY_MILLIS = 3000;

const TRANSPORTS = {
  websocket: {
    label: 'WebSocket',
    endpoint: () => `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/websocket`,
    socket: WebSocket,
  },
  sockjs: {
    label: 'SockJS',
    endpoint: () => `${location.origin}/sockjs`,
    socket: SockJS,
  },
};

export function isTransport(name) {
  return Object.hasOwn(TRANSPORTS, name);
}

export class LiveConnection {
  constructor(transport, listener) {
    this.listener = listener;
    this.transport = transport;
    // status: connecting | connected | waiting (a retry is scheduled at retryAt) | offline
    this.status = 'connecting';
    this.retryAt = 0;
    this.retryTimer = null;
    this.wantOnline = true;
    this.nextId = 1;
    this.calls = new Map(); // method id -> { frame, resolve, reject }
    this.subscriptions = new Map(); // sub id -> { name, params, ready, onNosub }
    this.collections = new Map(); // name -> Map(id -> fields)
    this.resyncing = null; // the documents of the new connection until every subscription is ready again
    this.loginToken = null;
    this.userId = null;
    this.ddp = this.open();
    this.ddp.connect();
  }

  // ddp.js is bound to one endpoint and socket type: a switch of transport makes a new one.
  open() {
    const transport = TRANSPORTS[this.transport];
    // The page schedules the retries itself: ddp.js's own retry cannot be cancelled, so a
    // countdown and a "Reconnect now" button could not both be right.
    const ddp = new DDP({
      endpoint: transport.endpoint(),
      SocketConstructor: transport.socket,
      autoConnect: false,
      autoReconnect: false,
    });
    ddp.on('connected', () => this.onConnected(ddp));
    ddp.on('disconnected', () => this.onDisconnected(ddp));
    ddp.on('result', (m) => this.onResult(m));
    ddp.on('ready', (m) => this.onReady(m));
    ddp.on('nosub', (m) => this.onNosub(m));
    ddp.on('added', (m) => this.onData(m));
    ddp.on('changed', (m) => this.onData(m));
    ddp.on('removed', (m) => this.onData(m));
    ddp.on('error', (m) => this.listener.error(`The server rejected a message: ${m.reason || 'unknown reason'}`));
    return ddp;
  }

  get transportLabel() {
    return TRANSPORTS[this.transport].label;
  }

  switchTransport(transport) {
    if (transport === this.transport) {
      return;
    }
    const old = this.ddp;
    this.transport = transport;
    this.ddp = this.open();
    old.disconnect();
    this.clearRetry();
    this.resyncing = null;
    // calls without an answer go again over the new connection
    for (const call of this.calls.values()) {
      this.ddp.messageQueue.push(call.frame);
    }
    if (this.wantOnline) {
      this.setStatus('connecting');
      this.ddp.connect();
    }
    else {
      this.setStatus('offline');
    }
  }

  /** Connect now, cancelling a scheduled retry ("Reconnect now", and after "Go offline"). */
  reconnect() {
    this.wantOnline = true;
    this.clearRetry();
    if (this.status !== 'connected') {
      this.setStatus('connecting');
      this.ddp.connect();
    }
  }

  /** Close the connection and stay offline until reconnect(). */
  disconnect() {
    this.wantOnline = false;
    this.clearRetry();
    this.ddp.disconnect();
    this.setStatus('offline');
  }

  onConnected(ddp) {
    if (ddp !== this.ddp) {
      return;
    }
    this.setStatus('connected');
    if (this.loginToken) {
      this.resume();
    }
    // Meteor's way: keep showing the old documents until the subscriptions are ready again,
    // then show what the server has now (documents removed while away disappear).
    this.resyncing = new Map();
    for (const [id, sub] of this.subscriptions) {
      sub.ready = false;
      ddp.sub(sub.name, sub.params, id);
    }
    this.checkResynced();
  }

  onDisconnected(ddp) {
    if (ddp !== this.ddp) {
      return;
    }
    // ddp.js forgets the frames it had not sent; the calls without an answer are sent again on
    // the next connection, as Meteor's client does (an insert keeps its randomSeed, so its id).
    ddp.messageQueue.empty();
    for (const call of this.calls.values()) {
      ddp.messageQueue.push(call.frame);
    }
    this.resyncing = null;
    if (!this.wantOnline) {
      this.setStatus('offline');
      return;
    }
    this.retryAt = Date.now() + RETRY_MILLIS;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.setStatus('connecting');
      ddp.connect();
    }, RETRY_MILLIS);
    this.setStatus('waiting');
  }

  clearRetry() {
    if (this.retryTimer) {
      clearTimeout(this.retryTimer);
      this.retryTimer = null;
    }
  }

  setStatus(status) {
    this.status = status;
    this.listener.status(this);
  }

  /**
   * Call a method; resolves with its result, rejects with the server's error object. With a
   * randomSeed, the server draws the ids of the documents the method inserts from it.
   */
  call(method, params, randomSeed) {
    const id = String(this.nextId++);
    const frame = { msg: 'method', id, method, params };
    if (randomSeed) {
      frame.randomSeed = randomSeed;
    }
    return new Promise((resolve, reject) => {
      this.calls.set(id, { frame, resolve, reject });
      // ddp.js's method() takes no randomSeed: the frame goes through the same queue it uses,
      // which holds it until the connection is up.
      this.ddp.messageQueue.push(frame);
    });
  }

  onResult(message) {
    const call = this.calls.get(message.id);
    if (!call) {
      return;
    }
    this.calls.delete(message.id);
    if (message.error) {
      call.reject(message.error);
    }
    else {
      call.resolve(message.result);
    }
  }

  subscribe(name, params, onNosub) {
    const id = `s${this.nextId++}`;
    this.subscriptions.set(id, { name, params, ready: false, onNosub });
    this.ddp.sub(name, params, id);
    return id;
  }

  unsubscribe(id) {
    if (this.subscriptions.delete(id)) {
      this.ddp.unsub(id);
      this.checkResynced();
    }
  }

  onReady(message) {
    for (const id of message.subs) {
      const sub = this.subscriptions.get(id);
      if (sub) {
        sub.ready = true;
        this.listener.ready?.(id);
      }
    }
    this.checkResynced();
  }

  onNosub(message) {
    const sub = this.subscriptions.get(message.id);
    if (!sub) {
      return;
    }
    this.subscriptions.delete(message.id);
    if (message.error) {
      sub.onNosub?.(message.error);
      this.listener.error(`Subscription '${sub.name}' stopped: ${describeError(message.error)}`);
    }
    this.checkResynced();
  }

  checkResynced() {
    if (this.resyncing && [...this.subscriptions.values()].every((sub) => sub.ready)) {
      const changed = new Set([...this.collections.keys(), ...this.resyncing.keys()]);
      this.collections = this.resyncing;
      this.resyncing = null;
      changed.forEach((name) => this.listener.data(name));
    }
  }

  onData(message) {
    const store = this.resyncing || this.collections;
    let docs = store.get(message.collection);
    if (!docs) {
      docs = new Map();
      store.set(message.collection, docs);
    }
    if (message.msg === 'added') {
      docs.set(message.id, { ...message.fields });
    }
    else if (message.msg === 'changed') {
      const doc = { ...docs.get(message.id), ...message.fields };
      (message.cleared || []).forEach((field) => delete doc[field]);
      docs.set(message.id, doc);
    }
    else {
      docs.delete(message.id);
    }
    if (!this.resyncing) {
      this.listener.data(message.collection);
    }
  }

  /** The documents of a collection, as {_id, ...fields}. */
  find(collection) {
    const docs = this.collections.get(collection) || new Map();
    return [...docs].map(([id, fields]) => ({ _id: id, ...fields }));
  }

  findOne(collection, id) {
    const fields = this.collections.get(collection)?.get(id);
    return fields ? { _id: id, ...fields } : null;
  }

  /** Log in with a password; the password travels as its SHA-256 digest, as Meteor's client sends it. */
  async loginWithPassword(username, password) {
    const digest = await sha256Hex(password);
    const result = await this.call('login', [{ user: { username }, password: { digest, algorithm: 'sha-256' } }]);
    this.loggedIn(result);
  }

  async logout() {
    try {
      await this.call('logout', []);
    }
    finally {
      this.loggedIn(null);
    }
  }

  // After a reconnect the new connection is logged in again with the token of the old one.
  resume() {
    this.call('login', [{ resume: this.loginToken }]).then((result) => this.loggedIn(result), (error) => {
      this.loggedIn(null);
      this.listener.error(`Logged out: the server did not take the login back (${describeError(error)})`);
    });
  }

  loggedIn(result) {
    this.loginToken = result ? result.token : null;
    this.userId = result ? result.id : null;
    this.listener.user(this);
  }
}

export function describeError(error) {
  if (!error) {
    return 'unknown error';
  }
  const reason = error.reason || error.message || String(error);
  return error.error !== undefined ? `${reason} [${error.error}]` : reason;
}

async function sha256Hex(text) {
  if (!globalThis.crypto?.subtle) {
    throw new Error('Logging in needs a secure page (https, or http on localhost) for the SHA-256 of the password');
  }
  const hash = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return Array.from(new Uint8Array(hash), (b) => b.toString(16).padStart(2, '0')).join('');
}
