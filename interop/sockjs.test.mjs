// DDP over SockJS (ddp-protocol.md 1.1, 1.3): the real `sockjs-client` forced onto each
// transport, the /sockjs/info probe, and SockJS framing checked by hand on two transports.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import SockJS from 'sockjs-client';
import WebSocket from 'ws';
import {
  DDP_SOCKJS_URL, IS_METEOR, SOCKJS_BASE, SESSION_RE, isServerIdGreeting, meteorError, withTimeout,
} from './lib/common.mjs';

/** DDP frames over a sockjs-client instance, parsed; server_id greeting dropped for kind=meteor. */
class SockJsDdp {
  constructor(transport) {
    this.queue = []; this.waiters = []; this.closeEvent = null;
    this.sock = new SockJS(DDP_SOCKJS_URL, null, { transports: [transport], timeout: 5000 });
    this.opened = new Promise((resolve, reject) => {
      this.sock.onopen = resolve;
      this.sock.onclose = (e) => { this.closeEvent = e; reject(new Error(`closed before open: ${e.code} ${e.reason}`)); this._wake(); };
    });
    this.sock.onmessage = (e) => {
      assert.equal(typeof e.data, 'string');
      const m = JSON.parse(e.data);
      if (IS_METEOR && isServerIdGreeting(m)) return;
      this.queue.push(m); this._wake();
    };
  }

  _wake() { for (const w of this.waiters.splice(0)) w(); }

  async open() {
    await withTimeout(this.opened, 8000, 'SockJS open');
    this.sock.onclose = (e) => { this.closeEvent = e; this._wake(); };
  }

  send(obj) { this.sock.send(JSON.stringify(obj)); }

  async next(timeout = 5000) {
    const deadline = Date.now() + timeout;
    while (!this.queue.length) {
      if (this.closeEvent) throw new Error(`SockJS closed: ${this.closeEvent.code}`);
      if (Date.now() > deadline) throw new Error(`no SockJS frame within ${timeout} ms`);
      await new Promise((r) => { this.waiters.push(r); setTimeout(r, 50); });
    }
    return this.queue.shift();
  }

  /** result + updated for a method id, in either order. */
  async method(id, method, params) {
    this.send({ msg: 'method', id, method, params });
    let result; let updated;
    while (!result || !updated) {
      const m = await this.next();
      if (m.msg === 'result' && m.id === id) result = m;
      else if (m.msg === 'updated' && m.methods.includes(id)) updated = m;
      else assert.fail(`unexpected frame ${JSON.stringify(m)}`);
    }
    assert.deepStrictEqual(updated, { msg: 'updated', methods: [id] });
    return result;
  }

  close() { try { this.sock.close(); } catch { /* ignore */ } }
}

describe('SockJS /info', () => {
  test('GET /sockjs/info: websocket true, cookie_needed false, origins, uint32 entropy', async () => {
    const res = await fetch(`${SOCKJS_BASE}/info`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type'), /^application\/json/);
    const info = await res.json();
    assert.deepStrictEqual(Object.keys(info).sort(), ['cookie_needed', 'entropy', 'origins', 'websocket']);
    assert.equal(info.websocket, true);
    assert.equal(info.cookie_needed, false);
    assert.deepStrictEqual(info.origins, ['*:*']);
    assert.ok(Number.isInteger(info.entropy) && info.entropy >= 0 && info.entropy <= 0xffffffff, `entropy ${info.entropy}`);
    const again = await (await fetch(`${SOCKJS_BASE}/info`)).json();
    assert.notEqual(again.entropy, info.entropy, 'entropy is random per request');
  });

  test('plain GET /websocket (no upgrade) -> 400 Not a valid websocket request', async () => {
    const url = SOCKJS_BASE.replace(/\/sockjs$/, '/websocket');
    const res = await fetch(url);
    assert.equal(res.status, 400);
    assert.equal((await res.text()).trim(), 'Not a valid websocket request');
  });
});

for (const transport of ['websocket', 'xhr-streaming', 'xhr-polling']) {
  describe(`DDP through sockjs-client, transport ${transport}`, () => {
    test('connect, echo with EJSON, method errors, clean close', async () => {
      const c = new SockJsDdp(transport);
      try {
        await c.open();
        assert.equal(c.sock.transport, transport, 'the forced transport is the one in use');
        c.send({ msg: 'connect', version: '1', support: ['1', 'pre2', 'pre1'] });
        const connected = await c.next();
        assert.equal(connected.msg, 'connected', JSON.stringify(connected));
        assert.match(connected.session, SESSION_RE);
        assert.deepStrictEqual(Object.keys(connected).sort(), ['msg', 'session']);

        assert.deepStrictEqual(await c.method('1', 'echo', [1, 'a', { $date: 5 }, { $binary: 'AQID' }, { $InfNaN: -1 }, { $escape: { $date: 1 } }]),
          { msg: 'result', id: '1', result: [1, 'a', { $date: 5 }, { $binary: 'AQID' }, { $InfNaN: -1 }, { $escape: { $date: 1 } }] });
        assert.deepStrictEqual(await c.method('2', 'throwMeteorError', []),
          { msg: 'result', id: '2', error: meteorError('custom-error', 'Custom reason', { a: 1 }) });
        assert.deepStrictEqual(await c.method('3', 'nope', []),
          { msg: 'result', id: '3', error: meteorError(404, "Method 'nope' not found") });
        assert.deepStrictEqual(await c.method('4', 'echoOne', []), { msg: 'result', id: '4' });

        c.send({ msg: 'ping', id: 'sj' });
        assert.deepStrictEqual(await c.next(), { msg: 'pong', id: 'sj' });
        c.send({ msg: 'method', id: 5, method: 'echo', params: [] });
        assert.deepStrictEqual(await c.next(), { msg: 'error', reason: 'Malformed method invocation', offendingMessage: { msg: 'method', id: 5, method: 'echo', params: [] } });

        const closed = new Promise((r) => { c.sock.onclose = r; });
        c.close();
        const ev = await withTimeout(closed, 5000, 'SockJS close');
        assert.equal(ev.code, 1000);
      } finally { c.close(); }
    });
  });
}

describe('SockJS framing by hand', () => {
  test('xhr transport: o frame, xhr_send batch, a[...] frame with several DDP messages', async () => {
    const base = `${SOCKJS_BASE}/123/${Math.random().toString(36).slice(2, 10).padEnd(8, 'x')}`;
    const open = await fetch(`${base}/xhr`, { method: 'POST' });
    assert.equal(open.status, 200);
    assert.equal(await open.text(), 'o\n');
    const batch = [
      JSON.stringify({ msg: 'connect', version: '1', support: ['1', 'pre2', 'pre1'] }),
      JSON.stringify({ msg: 'method', id: '1', method: 'echo', params: [{ $date: 7 }] }),
    ];
    const send = await fetch(`${base}/xhr_send`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify(batch) });
    assert.equal(send.status, 204);
    // collect a[...] frames until connected, result and updated have all arrived
    const got = [];
    const deadline = Date.now() + 5000;
    while (!(got.some((m) => m.msg === 'result') && got.some((m) => m.msg === 'updated'))) {
      assert.ok(Date.now() < deadline, `timeout, got ${JSON.stringify(got)}`);
      const body = await (await fetch(`${base}/xhr`, { method: 'POST' })).text();
      assert.match(body, /^a\[.*\]\n$/s, `SockJS array frame, got ${JSON.stringify(body)}`);
      const arr = JSON.parse(body.slice(1));
      for (const s of arr) {
        assert.equal(typeof s, 'string', 'each element is a JSON-encoded DDP message');
        const m = JSON.parse(s);
        if (!(IS_METEOR && isServerIdGreeting(m))) got.push(m);
      }
    }
    assert.equal(got[0].msg, 'connected');
    assert.match(got[0].session, SESSION_RE);
    const rest = got.slice(1).sort((a, b) => a.msg.localeCompare(b.msg));
    assert.deepStrictEqual(rest, [
      { msg: 'result', id: '1', result: [{ $date: 7 }] },
      { msg: 'updated', methods: ['1'] },
    ]);
  });

  test('xhr_send with broken JSON -> 500 Broken JSON encoding.', async () => {
    const base = `${SOCKJS_BASE}/124/${Math.random().toString(36).slice(2, 10).padEnd(8, 'y')}`;
    assert.equal(await (await fetch(`${base}/xhr`, { method: 'POST' })).text(), 'o\n');
    const res = await fetch(`${base}/xhr_send`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '[oops' });
    assert.equal(res.status, 500);
    assert.equal(await res.text(), 'Broken JSON encoding.');
  });

  test('SockJS websocket: o, then a["..."] frames; client sends JSON arrays of strings', async () => {
    const url = `${SOCKJS_BASE.replace(/^http/, 'ws')}/321/${Math.random().toString(36).slice(2, 10).padEnd(8, 'z')}/websocket`;
    const ws = new WebSocket(url);
    const frames = [];
    let wake = null;
    ws.on('message', (d) => { frames.push(d.toString()); if (wake) wake(); });
    const nextFrame = async () => {
      const deadline = Date.now() + 5000;
      while (!frames.length) {
        assert.ok(Date.now() < deadline, 'SockJS websocket frame timeout');
        await new Promise((r) => { wake = r; setTimeout(r, 50); });
      }
      return frames.shift();
    };
    try {
      await withTimeout(new Promise((r, j) => { ws.once('open', r); ws.once('error', j); }), 5000, 'open');
      assert.equal(await nextFrame(), 'o');
      ws.send(JSON.stringify([JSON.stringify({ msg: 'connect', version: '1', support: ['1'] })]));
      const msgs = [];
      while (!msgs.some((m) => m.msg === 'connected')) {
        const f = await nextFrame();
        assert.equal(f[0], 'a', `expected an a-frame, got ${f}`);
        for (const s of JSON.parse(f.slice(1))) { const m = JSON.parse(s); if (!(IS_METEOR && isServerIdGreeting(m))) msgs.push(m); }
      }
      assert.equal(msgs.length, 1, JSON.stringify(msgs));
      assert.match(msgs[0].session, SESSION_RE);
      ws.send(JSON.stringify([JSON.stringify({ msg: 'ping', id: 'w' })]));
      const pong = await nextFrame();
      assert.deepStrictEqual(JSON.parse(pong.slice(1)).map((s) => JSON.parse(s)), [{ msg: 'pong', id: 'w' }]);
    } finally { ws.terminate(); }
  });
});
