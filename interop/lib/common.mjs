// Shared helpers for the interop suite: environment, a frame-exact raw WebSocket DDP
// connection, and small utilities. No test lives here.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import WebSocket from 'ws';

// ---------------------------------------------------------------------------
// Environment
// ---------------------------------------------------------------------------

/** Raw DDP websocket endpoint of the server under test. */
export const DDP_URL = process.env.DDP_URL || 'ws://127.0.0.1:3999/websocket';
/** SockJS base URL of the server under test. */
export const DDP_SOCKJS_URL = process.env.DDP_SOCKJS_URL || 'http://127.0.0.1:3999/sockjs';
/**
 * `meteor` = the genuine Meteor 1.9.3 reference server (tolerates its two documented
 * differences from ddp-protocol.md); `spring` = ddp-spring-boot, which must follow
 * ddp-protocol.md exactly. Default is the strict one.
 */
export const KIND = (process.env.DDP_SERVER_KIND || 'spring').toLowerCase();
if (KIND !== 'meteor' && KIND !== 'spring') {
  throw new Error(`DDP_SERVER_KIND must be "meteor" or "spring", got "${KIND}"`);
}
export const IS_METEOR = KIND === 'meteor';

// This suite only ever talks to a server on this machine.
for (const [name, url] of [['DDP_URL', DDP_URL], ['DDP_SOCKJS_URL', DDP_SOCKJS_URL]]) {
  const host = new URL(url).hostname;
  if (!/^(127\.\d+\.\d+\.\d+|localhost|\[::1\])$/.test(host)) {
    throw new Error(`${name}=${url}: only loopback servers are allowed`);
  }
}

/** http://host:port of the SockJS URL, without the /sockjs path. */
export const SOCKJS_BASE = DDP_SOCKJS_URL.replace(/\/+$/, '');

// ---------------------------------------------------------------------------
// Small utilities
// ---------------------------------------------------------------------------

/** 17-character Meteor random id (ddp-protocol.md notation `<S>`). */
export const SESSION_RE = /^[23456789ABCDEFGHJKLMNPQRSTWXYZabcdefghijkmnopqrstuvwxyz]{17}$/;

export const sha256hex = (s) => createHash('sha256').update(s, 'utf8').digest('hex');

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** A frame that is only the pre-2.3 Meteor greeting `{"server_id":"0"}`. */
export function isServerIdGreeting(m) {
  return m !== null && typeof m === 'object' && !Array.isArray(m) &&
    Object.keys(m).length === 1 && Object.prototype.hasOwnProperty.call(m, 'server_id');
}

/** The canonical Meteor.Error wire object of ddp-protocol.md 3.4. */
export function meteorError(error, reason, details) {
  const e = { isClientSafe: true, error };
  if (reason !== undefined) e.reason = reason;
  if (details !== undefined) e.details = details;
  e.message = reason !== undefined ? `${reason} [${error}]` : `[${error}]`;
  e.errorType = 'Meteor.Error';
  return e;
}

// Where the two servers' logins differ by design: Meteor's fixture `login` is hand-written
// (shared/meteor-reference/app.js), the sample app's is real accounts with Meteor accounts'
// messages (ddp-protocol.md 8.3). Tests assert each server's own answer.

/** A Meteor login token (`Random.secret()`): 43 characters. */
export const TOKEN_RE = /^[A-Za-z0-9_-]{43}$/;
/** The error of a login with a wrong password. */
export const WRONG_PASSWORD = IS_METEOR ? meteorError(403, 'Login forbidden')
  : meteorError(403, 'Something went wrong. Please check your credentials.');
/** The error of a login with an unknown resume token. */
export const UNKNOWN_TOKEN = IS_METEOR ? meteorError(403, 'Login forbidden')
  : meteorError(403, "You've been logged out by the server. Please log in again.");
/** The error of a login whose options no login handler recognises (`{}`). */
export const UNRECOGNIZED_LOGIN = IS_METEOR ? meteorError(403, 'Login forbidden')
  : meteorError(400, 'Unrecognized options for login request');

/** Rejects after ms with a clear message, so a hung server fails the test instead of hanging it. */
export function withTimeout(promise, ms, what) {
  let t;
  return Promise.race([
    promise.finally(() => clearTimeout(t)),
    new Promise((_, reject) => { t = setTimeout(() => reject(new Error(`timeout after ${ms} ms: ${what}`)), ms); }),
  ]);
}

// ---------------------------------------------------------------------------
// Raw WebSocket DDP connection, frame exact
// ---------------------------------------------------------------------------

/**
 * One raw DDP WebSocket (`/websocket`). Received text frames are parsed with plain
 * JSON.parse (no EJSON), queued, and taken in order with next(). Pings are NOT answered
 * automatically (tests compare frames exactly and are far shorter than the 15 s heartbeat).
 *
 * With kind=meteor a `{"server_id":"0"}` frame is dropped (recorded in serverIdFrames);
 * with kind=spring it is delivered like any other frame, so it fails frame-exact tests.
 */
export class RawConn {
  constructor(url, { skipServerId = IS_METEOR } = {}) {
    this.url = url;
    this.skipServerId = skipServerId;
    this.queue = [];
    this.received = [];        // every text frame, verbatim
    this.serverIdFrames = [];
    this.closeInfo = null;
    this._wake = null;
    this.ws = new WebSocket(url);
    this.opened = new Promise((resolve, reject) => {
      this.ws.once('open', resolve);
      this.ws.once('error', reject);
    });
    this.closed = new Promise((resolve) => {
      this.ws.on('close', (code, reason) => {
        this.closeInfo = { code, reason: reason.toString() };
        this._notify();
        resolve(this.closeInfo);
      });
    });
    this.ws.on('error', () => { /* surfaced through opened/closed */ });
    this.ws.on('message', (data, isBinary) => {
      const text = data.toString('utf8');
      this.received.push(isBinary ? `<binary ${text}>` : text);
      let m;
      try { m = JSON.parse(text); } catch { m = { __notJson: text }; }
      if (this.skipServerId && isServerIdGreeting(m)) { this.serverIdFrames.push(m); return; }
      this.queue.push(m);
      this._notify();
    });
  }

  static async open(url = DDP_URL, opts) {
    const c = new RawConn(url, opts);
    await withTimeout(c.opened, 5000, `open ${url}`);
    return c;
  }

  /** Opens a socket and completes the handshake; returns the connection (session in .session). */
  static async connected(url = DDP_URL, version = '1', support = ['1', 'pre2', 'pre1']) {
    const c = await RawConn.open(url);
    await c.connect(version, support);
    return c;
  }

  _notify() { if (this._wake) { const w = this._wake; this._wake = null; w(); } }

  send(frame) {
    this.ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  /** Next received frame (parsed). Fails on timeout or if the socket closes first. */
  async next(timeout = 5000, what = 'a frame') {
    const deadline = Date.now() + timeout;
    while (this.queue.length === 0) {
      if (this.closeInfo) throw new assert.AssertionError({ message: `socket closed (${this.closeInfo.code}) while waiting for ${what}` });
      const left = deadline - Date.now();
      if (left <= 0) throw new assert.AssertionError({ message: `no frame within ${timeout} ms while waiting for ${what}; received so far: ${JSON.stringify(this.received)}` });
      await new Promise((r) => {
        const t = setTimeout(() => { this._wake = null; r(); }, left);
        this._wake = () => { clearTimeout(t); r(); };
      });
    }
    return this.queue.shift();
  }

  /** Asserts the next frame equals `expected` (structural, key order ignored). */
  async expect(expected, timeout = 5000) {
    const got = await this.next(timeout, JSON.stringify(expected));
    assert.deepStrictEqual(got, expected);
    return got;
  }

  /** Asserts that nothing arrives for `ms`. */
  async expectSilence(ms = 300) {
    await sleep(ms);
    assert.deepStrictEqual(this.queue, [], `expected no frame within ${ms} ms`);
  }

  /** Sends connect and asserts `connected` with a fresh 17-char session id. */
  async connect(version = '1', support = ['1', 'pre2', 'pre1'], extra = {}) {
    this.send({ msg: 'connect', version, support, ...extra });
    const m = await this.next(5000, 'connected');
    assert.equal(m.msg, 'connected', `expected connected, got ${JSON.stringify(m)}`);
    assert.deepStrictEqual(Object.keys(m).sort(), ['msg', 'session']);
    assert.match(m.session, SESSION_RE);
    this.session = m.session;
    return m.session;
  }

  /**
   * Sends a method call and collects its `result` and `updated` frames, in whichever order they
   * come (their relative order is not specified). Any other frame in between fails the test.
   * Returns { result, updated, order } with the parsed frames.
   */
  async call(id, method, params, extra = {}, timeout = 5000) {
    const frame = { msg: 'method', id, method, ...(params === undefined ? {} : { params }), ...extra };
    this.send(frame);
    return this.collectMethod(id, timeout);
  }

  async collectMethod(id, timeout = 5000) {
    let result; let updated; const order = [];
    const deadline = Date.now() + timeout;
    while (!result || !updated) {
      const m = await this.next(Math.max(1, deadline - Date.now()), `result+updated of method ${id}`);
      if (m.msg === 'result' && m.id === id && !result) { result = m; order.push('result'); continue; }
      if (m.msg === 'updated' && Array.isArray(m.methods) && m.methods.includes(id) && !updated) {
        updated = m; order.push('updated'); continue;
      }
      assert.fail(`unexpected frame while waiting for method ${id}: ${JSON.stringify(m)}`);
    }
    return { result, updated, order };
  }

  /** Waits for the socket to close; returns {code, reason}. */
  async waitClosed(timeout = 3000) {
    return withTimeout(this.closed, timeout, 'server closing the socket');
  }

  close() {
    try { this.ws.terminate(); } catch { /* already gone */ }
  }
}
