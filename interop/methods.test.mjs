// The fixture methods exercised through real npm DDP clients: `ddp` and `simpleddp`.
// Each check looks at what the library hands the application AND at the raw result frame.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  IS_METEOR, SESSION_RE, TOKEN_RE, UNKNOWN_TOKEN, WRONG_PASSWORD, meteorError, sha256hex, withTimeout,
} from './lib/common.mjs';
import { openDdpNpm, openSimpleDdp } from './lib/clients.mjs';

const clients = [
  ['ddp', openDdpNpm, { msg: 'connect', version: '1', support: ['1', 'pre2', 'pre1'] }],
  ['simpleddp', openSimpleDdp, { msg: 'connect', version: '1', support: ['1'] }],
];

for (const [lib, open, expectedConnect] of clients) {
  describe(`methods via npm ${lib}`, () => {
    let c;
    before(async () => { c = await open(); });
    after(async () => { if (c) await c.close(); });

    /** A fresh connection for tests that depend on the connection's user id. */
    async function fresh(fn) {
      const d = await open();
      try { return await fn(d); } finally { await d.close(); }
    }

    test('handshake: the client connects and gets a 17-char session id', () => {
      assert.match(c.session(), SESSION_RE);
      const connect = typeof c.sent[0] === 'string' ? JSON.parse(c.sent[0]) : c.sent[0];
      assert.deepStrictEqual(connect, expectedConnect, `${lib} sends this connect frame`);
    });

    test('echo with several args returns them', async () => {
      const args = [1, 'two', true, null, { a: [1, 2, { b: 'c' }] }, [], {}];
      const { error, result, id } = await c.call('echo', args);
      assert.equal(error, undefined);
      assert.deepStrictEqual(result, args);
      assert.deepStrictEqual(c.rawResult(id).frame, { msg: 'result', id, result: args });
    });

    test('EJSON Date round trip ({$date} on the wire, Date in the client)', async () => {
      const d = new Date(1700000000123);
      const { result, id } = await c.call('echo', [d, { nested: [d] }]);
      assert.ok(result[0] instanceof Date, `got ${typeof result[0]} ${JSON.stringify(result[0])}`);
      assert.equal(result[0].getTime(), d.getTime());
      assert.ok(result[1].nested[0] instanceof Date);
      assert.deepStrictEqual(c.rawResult(id).frame.result, [{ $date: 1700000000123 }, { nested: [{ $date: 1700000000123 }] }]);
    });

    test('EJSON binary round trip ({$binary} base64)', async () => {
      const bin = new Uint8Array([1, 2, 3, 255, 0]);
      const { result, id } = await c.call('echo', [bin]);
      assert.ok(result[0] instanceof Uint8Array, `got ${Object.prototype.toString.call(result[0])}`);
      assert.deepStrictEqual([...result[0]], [1, 2, 3, 255, 0]);
      assert.deepStrictEqual(c.rawResult(id).frame.result, [{ $binary: 'AQID/wA=' }]);
    });

    test('EJSON NaN / Infinity / -Infinity round trip ($InfNaN)', async () => {
      const { result, id } = await c.call('echo', [NaN, Infinity, -Infinity, 1.5]);
      assert.ok(Number.isNaN(result[0]));
      assert.equal(result[1], Infinity);
      assert.equal(result[2], -Infinity);
      assert.equal(result[3], 1.5);
      assert.deepStrictEqual(c.rawResult(id).frame.result, [{ $InfNaN: 0 }, { $InfNaN: 1 }, { $InfNaN: -1 }, 1.5]);
    });

    test('EJSON literal object {$date: 5} survives via $escape', async () => {
      const { result, id } = await c.call('echo', [{ $date: 5 }, { $type: 'x', $value: 1 }]);
      assert.ok(!(result[0] instanceof Date), 'must stay a plain object');
      assert.deepStrictEqual(result, [{ $date: 5 }, { $type: 'x', $value: 1 }]);
      assert.deepStrictEqual(c.rawResult(id).frame.result,
        [{ $escape: { $date: 5 } }, { $escape: { $type: 'x', $value: 1 } }]);
    });

    test('EJSON nested objects and arrays with mixed special values', async () => {
      const v = { list: [1, [2, [3, { when: new Date(5) }]]], bin: { b: new Uint8Array([9]) }, s: 'x', inf: [Infinity] };
      const { result } = await c.call('echoOne', [v]);
      assert.equal(result.list[1][1][1].when.getTime(), 5);
      assert.deepStrictEqual([...result.bin.b], [9]);
      assert.deepStrictEqual(result.inf, [Infinity]);
      assert.deepStrictEqual(result.list.slice(0, 1), [1]);
      assert.equal(result.s, 'x');
    });

    test('echoOne without args: undefined result, no result key on the wire', async () => {
      const { error, result, id } = await c.call('echoOne', []);
      assert.equal(error, undefined);
      assert.equal(result, undefined);
      assert.deepStrictEqual(c.rawResult(id).frame, { msg: 'result', id });
    });

    test('throwMeteorError -> error custom-error, reason Custom reason, details {a:1}', async () => {
      const { error, result, id } = await c.call('throwMeteorError', []);
      assert.equal(result, undefined);
      assert.equal(error.error, 'custom-error');
      assert.equal(error.reason, 'Custom reason');
      assert.deepStrictEqual(error.details, { a: 1 });
      assert.deepStrictEqual(error, meteorError('custom-error', 'Custom reason', { a: 1 }));
      assert.deepStrictEqual(c.rawResult(id).frame.error, meteorError('custom-error', 'Custom reason', { a: 1 }));
    });

    test('throwInternal -> 500 Internal server error', async () => {
      const { error } = await c.call('throwInternal', []);
      assert.equal(error.error, 500);
      assert.equal(error.reason, 'Internal server error');
      assert.deepStrictEqual(error, meteorError(500, 'Internal server error'));
    });

    test("unknown method -> 404 Method 'nope' not found", async () => {
      const { error } = await c.call('nope', []);
      assert.equal(error.error, 404);
      assert.equal(error.reason, "Method 'nope' not found");
      assert.deepStrictEqual(error, meteorError(404, "Method 'nope' not found"));
    });

    test('slow(200) then echo: echo result arrives first (slow unblocks)', async () => {
      const start = c.resultOrder.length;
      const pSlow = c.call('slow', [200]);
      const pEcho = c.call('echo', ['quick']);
      const [s, e] = await Promise.all([pSlow, pEcho]);
      assert.equal(s.result, 200);
      assert.deepStrictEqual(e.result, ['quick']);
      assert.deepStrictEqual(c.resultOrder.slice(start), [e.id, s.id], 'echo must answer before slow');
    });

    test('setUserId / whoami', () => fresh(async (d) => {
      assert.equal((await d.call('whoami', [])).result, null);
      assert.equal((await d.call('setUserId', ['u1'])).result, 'u1');
      assert.equal((await d.call('whoami', [])).result, 'u1');
      assert.equal((await d.call('setUserId', [null])).result, null);
      const w = await d.call('whoami', []);
      assert.equal(w.result, null);
      assert.deepStrictEqual(d.rawResult(w.id).frame, { msg: 'result', id: w.id, result: null });
    }));

    test('login with resume token -> token-user, token, Date tokenExpires', () => fresh(async (d) => {
      const { error, result } = await d.call('login', [{ resume: 'valid-token' }]);
      assert.equal(error, undefined);
      assert.equal(result.id, 'token-user');
      assert.equal(result.token, 'valid-token');
      assert.ok(result.tokenExpires instanceof Date, 'tokenExpires decodes to a Date');
      assert.ok(result.tokenExpires.getTime() > Date.now());
      assert.equal((await d.call('whoami', [])).result, 'token-user');
    }));

    test('login with password digest for alice -> alice-id', () => fresh(async (d) => {
      const { error, result } = await d.call('login', [{
        user: { username: 'alice' }, password: { digest: sha256hex('secret'), algorithm: 'sha-256' },
      }]);
      assert.equal(error, undefined);
      assert.equal(result.id, 'alice-id');
      // Meteor's fixture has one fixed token; real accounts make a fresh one
      if (IS_METEOR) assert.equal(result.token, 'alice-token');
      else assert.match(result.token, TOKEN_RE);
      assert.ok(result.tokenExpires instanceof Date);
      assert.equal((await d.call('whoami', [])).result, 'alice-id');
    }));

    test('bad login -> 403 with the server\'s exact reason', () => fresh(async (d) => {
      for (const [arg, expected] of [
        [{ resume: 'nope' }, UNKNOWN_TOKEN],
        [{ user: { username: 'alice' }, password: { digest: sha256hex('wrong'), algorithm: 'sha-256' } }, WRONG_PASSWORD],
      ]) {
        const { error, result } = await d.call('login', [arg]);
        assert.equal(result, undefined);
        assert.deepStrictEqual(error, expected);
      }
      assert.equal((await d.call('whoami', [])).result, null);
    }));
  });
}

describe('version negotiation through npm ddp', () => {
  test('ddp proposing pre1 (support 1,pre2,pre1) is told failed {version:"1"} and reconnects with 1', async () => {
    const c = await openDdpNpm({ ddpVersion: 'pre1' });
    try {
      const frames = c.raw.map((t) => JSON.parse(t)).filter((m) => m.msg);
      assert.deepStrictEqual(frames[0], { msg: 'failed', version: '1' });
      assert.equal(frames[1].msg, 'connected');
      assert.equal(c.client.ddpVersion, '1');
      assert.deepStrictEqual(c.sent.map((s) => JSON.parse(s)), [
        { msg: 'connect', version: 'pre1', support: ['1', 'pre2', 'pre1'] },
        { msg: 'connect', version: '1', support: ['1', 'pre2', 'pre1'] },
      ]);
      // npm ddp fails every pending call when ANY of its sockets closes, and it does not close
      // the refused one itself: wait for the server to have closed it before calling.
      const deadline = Date.now() + 3000;
      while (!c.sockets.slice(0, -1).every((s) => s.readyState === 3) && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 10));
      }
      await new Promise((r) => setTimeout(r, 50));
      const { result } = await withTimeout(c.call('echo', ['after-renegotiation']), 3000, 'echo');
      assert.deepStrictEqual(result, ['after-renegotiation']);
    } finally { await c.close(); }
  });
});
