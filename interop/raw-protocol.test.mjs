// Frame-exact protocol tests over a plain `ws` socket on the raw /websocket endpoint.
// References are to /shared/ddp-protocol.md. Frames are compared structurally (key order ignored).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DDP_URL, IS_METEOR, KIND, RawConn, SESSION_RE, TOKEN_RE, UNKNOWN_TOKEN, UNRECOGNIZED_LOGIN, WRONG_PASSWORD, meteorError, sha256hex, sleep,
} from './lib/common.mjs';

/** Runs fn with a connected raw socket and always closes it. */
async function withConn(fn, version, support) {
  const c = await RawConn.connected(DDP_URL, version, support);
  try { return await fn(c); } finally { c.close(); }
}

/** Asserts the connection still works after an error: ping -> pong with the same id. */
async function assertStillOpen(c, id = 'alive') {
  c.send({ msg: 'ping', id });
  await c.expect({ msg: 'pong', id });
}

// ---------------------------------------------------------------------------
describe('handshake and version negotiation (sections 1.4, 2)', () => {
  test(`first frames before connect (kind=${KIND})`, async () => {
    const c = await RawConn.open(DDP_URL, { skipServerId: false });
    try {
      await sleep(400);
      const early = c.queue.splice(0);
      if (IS_METEOR) {
        // Meteor < 2.3 greets every socket with {"server_id":"0"} (README "What Meteor 1.9.3 does").
        assert.ok(early.length <= 1, `at most one greeting, got ${JSON.stringify(early)}`);
        for (const f of early) assert.deepStrictEqual(f, { server_id: '0' });
      } else {
        assert.deepStrictEqual(early, [], 'ddp-protocol.md 1.4: nothing before connected');
      }
      c.send({ msg: 'connect', version: '1', support: ['1', 'pre2', 'pre1'] });
      const m = await c.next(3000, 'connected');
      assert.equal(m.msg, 'connected');
      assert.match(m.session, SESSION_RE);
    } finally { c.close(); }
  });

  test('connected carries a fresh 17-char session id; connect.session is ignored (2.2, 2.5)', async () => {
    const a = await RawConn.connected();
    const b = await RawConn.open();
    try {
      const s2 = await b.connect('1', ['1', 'pre2', 'pre1'], { session: a.session });
      assert.notEqual(s2, a.session, 'a server must never resume / reuse a session id');
      assert.match(a.session, SESSION_RE);
    } finally { a.close(); b.close(); }
  });

  const refused = [
    ['unsupported version', { msg: 'connect', version: '2', support: ['2'] }],
    ['version missing from support', { msg: 'connect', version: '1', support: ['pre1'] }],
    ['non-string version', { msg: 'connect', version: 1, support: ['1'] }],
    ['support missing', { msg: 'connect', version: '1' }],
    ['support with a non-string', { msg: 'connect', version: '1', support: [1] }],
    ['pre1 proposed while 1 is supported', { msg: 'connect', version: 'pre1', support: ['1', 'pre1'] }],
  ];
  for (const [name, frame] of refused) {
    test(`connect refused, failed {version:"1"} then close: ${name}`, async () => {
      const c = await RawConn.open();
      try {
        c.send(frame);
        await c.expect({ msg: 'failed', version: '1' });
        const { code } = await c.waitClosed();
        assert.equal(code, 1000, 'server closes the socket normally after failed');
        assert.deepStrictEqual(c.queue, []);
      } finally { c.close(); }
    });
  }

  test('connect proposing pre2 first in its list is accepted (2.2 step 2)', async () => {
    await withConn(async (c) => {
      assert.match(c.session, SESSION_RE);
      c.send({ msg: 'ping', id: 'p2' });
      await c.expect({ msg: 'pong', id: 'p2' });
    }, 'pre2', ['pre2', '1']);
  });

  // ddp-protocol.md 2.2 picks the first client-supported version the server knows, so a
  // pre1-only or pre2-only proposal yields `connected`. The meteor-reference README lists
  // this as something Meteor 1.9.3 does "that newer Meteor does not", so for kind=spring the
  // refusal `failed {version:"1"}` + close is tolerated too (conditional case).
  for (const v of ['pre1', 'pre2']) {
    test(`connect proposing only ${v} (conditional: meteor must accept; spring may accept or refuse)`, async (t) => {
      const c = await RawConn.open();
      try {
        c.send({ msg: 'connect', version: v, support: [v] });
        const m = await c.next(3000, 'connected or failed');
        if (m.msg === 'failed' && !IS_METEOR) {
          assert.deepStrictEqual(m, { msg: 'failed', version: '1' });
          await c.waitClosed();
          t.diagnostic(`server refused a ${v}-only proposal (allowed for kind=spring)`);
          return;
        }
        assert.equal(m.msg, 'connected', `got ${JSON.stringify(m)}`);
        assert.match(m.session, SESSION_RE);
        const { result } = await c.call('1', 'echo', [v]);
        assert.deepStrictEqual(result, { msg: 'result', id: '1', result: [v] });
      } finally { c.close(); }
    });
  }

  test('a pre1 session answers ping with Bad request, not pong (2.3)', async (t) => {
    const c = await RawConn.open();
    try {
      c.send({ msg: 'connect', version: 'pre1', support: ['pre1'] });
      const m = await c.next(3000, 'connected');
      if (m.msg === 'failed' && !IS_METEOR) {
        assert.deepStrictEqual(m, { msg: 'failed', version: '1' });
        t.skip('server refuses pre1 sessions (see the pre1-only case); nothing to check');
        return;
      }
      assert.equal(m.msg, 'connected');
      c.send({ msg: 'ping' });
      await c.expect({ msg: 'error', reason: 'Bad request', offendingMessage: { msg: 'ping' } });
      c.send({ msg: 'ping', id: 'x' });
      await c.expect({ msg: 'error', reason: 'Bad request', offendingMessage: { msg: 'ping', id: 'x' } });
      const { result } = await c.call('m', 'echo', [1]);
      assert.deepStrictEqual(result, { msg: 'result', id: 'm', result: [1] });
    } finally { c.close(); }
  });
});

// ---------------------------------------------------------------------------
describe('ping / pong (1.5)', () => {
  test('ping with id -> pong with the same id', () => withConn(async (c) => {
    c.send({ msg: 'ping', id: 'abc' });
    await c.expect({ msg: 'pong', id: 'abc' });
  }));

  test('ping without id -> pong without id', () => withConn(async (c) => {
    c.send({ msg: 'ping' });
    const m = await c.next();
    assert.deepStrictEqual(m, { msg: 'pong' });
    assert.ok(!('id' in m));
  }));

  test('a client pong gets no answer', () => withConn(async (c) => {
    c.send({ msg: 'pong' });
    c.send({ msg: 'pong', id: 'z' });
    await c.expectSilence(300);
    await assertStillOpen(c);
  }));

  test('ping is answered while a slow method is running', () => withConn(async (c) => {
    c.send({ msg: 'method', id: 's', method: 'slow', params: [1500] });
    await sleep(50);
    c.send({ msg: 'ping', id: 'during' });
    await c.expect({ msg: 'pong', id: 'during' }, 1000);
    const { result } = await c.collectMethod('s');
    assert.deepStrictEqual(result, { msg: 'result', id: 's', result: 1500 });
  }));
});

// ---------------------------------------------------------------------------
describe('invalid input (1.6)', () => {
  const badRequestNoOffending = [['not JSON', '{oops'], ['a number', '42'], ['a string', '"x"'], ['null', 'null'], ['true', 'true']];
  for (const [name, text] of badRequestNoOffending) {
    test(`${name} (${text}) -> Bad request without offendingMessage, stays open`, () => withConn(async (c) => {
      c.send(text);
      await c.expect({ msg: 'error', reason: 'Bad request' });
      await assertStillOpen(c);
    }));
  }

  const badRequestOffending = [['array', '[1,2]', [1, 2]], ['object without msg', '{"a":1}', { a: 1 }], ['empty msg', '{"msg":""}', { msg: '' }],
    ['unknown msg', '{"msg":"zzz"}', { msg: 'zzz' }], ['msg naming an Object.prototype member', '{"msg":"toString"}', { msg: 'toString' }]];
  for (const [name, text, offending] of badRequestOffending) {
    test(`${name} (${text}) -> Bad request with offendingMessage, stays open`, () => withConn(async (c) => {
      c.send(text);
      await c.expect({ msg: 'error', reason: 'Bad request', offendingMessage: offending });
      await assertStillOpen(c);
    }));
  }

  test('invalid JSON before connect -> Bad request; connect still works', async () => {
    const c = await RawConn.open();
    try {
      c.send('{oops');
      await c.expect({ msg: 'error', reason: 'Bad request' });
      await c.connect();
    } finally { c.close(); }
  });

  test('unknown $type in params -> Parse error, stays open, method not run', () => withConn(async (c) => {
    c.send('{"msg":"method","id":"1","method":"echo","params":[{"$type":"zzz","$value":1}]}');
    await c.expect({ msg: 'error', reason: 'Parse error' });
    c.send('{"msg":"method","id":"2","method":"echo","params":[{"a":[{"$type":"nope","$value":{}}]}]}');
    await c.expect({ msg: 'error', reason: 'Parse error' });
    c.send('{"msg":"sub","id":"3","name":"items","params":[{"$type":"zzz","$value":1}]}');
    await c.expect({ msg: 'error', reason: 'Parse error' });
    await c.expectSilence(200);
    await assertStillOpen(c);
  }));

  test('messages before connect -> Must connect first (with offendingMessage), not executed', async () => {
    const c = await RawConn.open();
    try {
      c.send({ msg: 'ping' });
      await c.expect({ msg: 'error', reason: 'Must connect first', offendingMessage: { msg: 'ping' } });
      const method = { msg: 'method', id: '1', method: 'setUserId', params: ['early'] };
      c.send(method);
      await c.expect({ msg: 'error', reason: 'Must connect first', offendingMessage: method });
      const sub = { msg: 'sub', id: 's', name: 'items', params: [1] };
      c.send(sub);
      await c.expect({ msg: 'error', reason: 'Must connect first', offendingMessage: sub });
      await c.connect();
      const { result } = await c.call('2', 'whoami', []);
      assert.deepStrictEqual(result, { msg: 'result', id: '2', result: null }, 'the early setUserId must not have run');
      await c.expectSilence(200);
    } finally { c.close(); }
  });

  test('second connect -> Already connected, session unaffected', () => withConn(async (c) => {
    await c.call('1', 'setUserId', ['keep-me']);
    const again = { msg: 'connect', version: '1', support: ['1', 'pre2', 'pre1'] };
    c.send(again);
    await c.expect({ msg: 'error', reason: 'Already connected', offendingMessage: again });
    const { result } = await c.call('2', 'whoami', []);
    assert.deepStrictEqual(result, { msg: 'result', id: '2', result: 'keep-me' });
  }));

  // ddp-protocol.md 3.2 variants; no result and no updated may follow.
  const malformedMethods = [
    ['numeric id', '{"msg":"method","id":1,"method":"echo","params":[]}', { msg: 'method', id: 1, method: 'echo', params: [] }],
    ['missing id', '{"msg":"method","method":"echo","params":[]}', { msg: 'method', method: 'echo', params: [] }],
    ['numeric method', '{"msg":"method","id":"a","method":5}', { msg: 'method', id: 'a', method: 5 }],
    ['missing method', '{"msg":"method","id":"b"}', { msg: 'method', id: 'b' }],
    ['params null', '{"msg":"method","id":"c","method":"echo","params":null}', { msg: 'method', id: 'c', method: 'echo', params: null }],
    ['params object', '{"msg":"method","id":"d","method":"echo","params":{}}', { msg: 'method', id: 'd', method: 'echo', params: {} }],
    ['params string', '{"msg":"method","id":"e","method":"echo","params":"x"}', { msg: 'method', id: 'e', method: 'echo', params: 'x' }],
    ['params an EJSON date (offendingMessage is plain JSON: ISO string)', '{"msg":"method","id":"f","method":"echo","params":{"$date":5}}',
      { msg: 'method', id: 'f', method: 'echo', params: '1970-01-01T00:00:00.005Z' }],
    ['randomSeed number', '{"msg":"method","id":"g","method":"echo","params":[],"randomSeed":5}', { msg: 'method', id: 'g', method: 'echo', params: [], randomSeed: 5 }],
    ['randomSeed null', '{"msg":"method","id":"h","method":"echo","params":[],"randomSeed":null}', { msg: 'method', id: 'h', method: 'echo', params: [], randomSeed: null }],
  ];
  for (const [name, text, offending] of malformedMethods) {
    test(`malformed method: ${name} -> Malformed method invocation, no result/updated`, () => withConn(async (c) => {
      c.send(text);
      await c.expect({ msg: 'error', reason: 'Malformed method invocation', offendingMessage: offending });
      await c.expectSilence(250);
      await assertStillOpen(c);
    }));
  }

  const malformedSubs = [
    ['numeric id', '{"msg":"sub","id":1,"name":"items","params":[1]}', { msg: 'sub', id: 1, name: 'items', params: [1] }],
    ['numeric name', '{"msg":"sub","id":"s","name":5}', { msg: 'sub', id: 's', name: 5 }],
    ['params object', '{"msg":"sub","id":"t","name":"items","params":{}}', { msg: 'sub', id: 't', name: 'items', params: {} }],
  ];
  for (const [name, text, offending] of malformedSubs) {
    test(`malformed sub: ${name} -> Malformed subscription, no nosub/ready`, () => withConn(async (c) => {
      c.send(text);
      await c.expect({ msg: 'error', reason: 'Malformed subscription', offendingMessage: offending });
      await c.expectSilence(250);
      await assertStillOpen(c);
    }));
  }

  test('a burst of every bad input leaves the session usable', () => withConn(async (c) => {
    for (const t of ['{oops', '42', '[1,2]', '{"a":1}', '{"msg":""}', '{"msg":"zzz"}',
      '{"msg":"method","id":1,"method":"echo"}', '{"msg":"method","id":"x","method":"echo","params":[{"$type":"q","$value":1}]}']) {
      c.send(t);
      const m = await c.next();
      assert.equal(m.msg, 'error', `error for ${t}`);
    }
    const { result } = await c.call('ok', 'echo', ['still', 'here']);
    assert.deepStrictEqual(result, { msg: 'result', id: 'ok', result: ['still', 'here'] });
  }));
});

// ---------------------------------------------------------------------------
describe('methods, frame exact (3, 7)', () => {
  test('echo: result frame and one updated frame naming the method', () => withConn(async (c) => {
    const { result, updated } = await c.call('1', 'echo', [1, 'two', true, null, { three: [3] }]);
    assert.deepStrictEqual(result, { msg: 'result', id: '1', result: [1, 'two', true, null, { three: [3] }] });
    assert.deepStrictEqual(updated, { msg: 'updated', methods: ['1'] });
  }));

  test('params absent -> handler gets no args (echo returns [])', () => withConn(async (c) => {
    const { result } = await c.call('np', 'echo', undefined);
    assert.deepStrictEqual(result, { msg: 'result', id: 'np', result: [] });
  }));

  test('unknown keys ignored; string randomSeed accepted', () => withConn(async (c) => {
    const { result } = await c.call('x', 'echo', [1], { randomSeed: '0123456789abcdef0123', extra: { y: 1 } });
    assert.deepStrictEqual(result, { msg: 'result', id: 'x', result: [1] });
  }));

  test('echoOne() -> result frame without a result key; echoOne(null) -> "result":null', () => withConn(async (c) => {
    const a = await c.call('u', 'echoOne', []);
    assert.deepStrictEqual(a.result, { msg: 'result', id: 'u' });
    const b = await c.call('n', 'echoOne', [null]);
    assert.deepStrictEqual(b.result, { msg: 'result', id: 'n', result: null });
  }));

  test('throwMeteorError -> custom-error / Custom reason / details {a:1} (3.4)', () => withConn(async (c) => {
    const { result } = await c.call('e', 'throwMeteorError', []);
    assert.deepStrictEqual(result, { msg: 'result', id: 'e', error: meteorError('custom-error', 'Custom reason', { a: 1 }) });
  }));

  test('throwInternal -> sanitized 500 Internal server error', () => withConn(async (c) => {
    const { result } = await c.call('i', 'throwInternal', []);
    assert.deepStrictEqual(result, { msg: 'result', id: 'i', error: meteorError(500, 'Internal server error') });
    assert.ok(!JSON.stringify(result).includes('internal detail'), 'the exception text must not leak');
  }));

  test("unknown method -> 404 Method 'nope' not found, then updated", () => withConn(async (c) => {
    const { result, updated } = await c.call('7', 'nope', []);
    assert.deepStrictEqual(result, { msg: 'result', id: '7', error: meteorError(404, "Method 'nope' not found") });
    assert.deepStrictEqual(updated, { msg: 'updated', methods: ['7'] });
  }));

  test('duplicate method ids are not de-duplicated: both run and answer', () => withConn(async (c) => {
    const a = await c.call('dup', 'echo', [1]);
    const b = await c.call('dup', 'echo', [2]);
    assert.deepStrictEqual(a.result.result, [1]);
    assert.deepStrictEqual(b.result.result, [2]);
  }));

  test('slow(200) unblocks: a later echo answers first', () => withConn(async (c) => {
    c.send({ msg: 'method', id: 'slow', method: 'slow', params: [200] });
    c.send({ msg: 'method', id: 'fast', method: 'echo', params: ['fast'] });
    const results = [];
    const t0 = Date.now();
    while (results.length < 2) {
      const m = await c.next(3000);
      if (m.msg === 'result') results.push(m);
      else assert.equal(m.msg, 'updated', `unexpected ${JSON.stringify(m)}`);
    }
    assert.deepStrictEqual(results, [
      { msg: 'result', id: 'fast', result: ['fast'] },
      { msg: 'result', id: 'slow', result: 200 },
    ]);
    assert.ok(Date.now() - t0 >= 150, 'slow really slept');
  }));

  test('setUserId / whoami on the connection', () => withConn(async (c) => {
    assert.deepStrictEqual((await c.call('1', 'whoami', [])).result.result, null);
    assert.deepStrictEqual((await c.call('2', 'setUserId', ['u1'])).result, { msg: 'result', id: '2', result: 'u1' });
    assert.deepStrictEqual((await c.call('3', 'whoami', [])).result, { msg: 'result', id: '3', result: 'u1' });
    assert.deepStrictEqual((await c.call('4', 'setUserId', [null])).result, { msg: 'result', id: '4', result: null });
    assert.deepStrictEqual((await c.call('5', 'whoami', [])).result, { msg: 'result', id: '5', result: null });
  }));

  test('user id is per connection', async () => {
    const a = await RawConn.connected();
    const b = await RawConn.connected();
    try {
      await a.call('1', 'setUserId', ['only-a']);
      assert.deepStrictEqual((await b.call('1', 'whoami', [])).result.result, null);
      assert.deepStrictEqual((await a.call('2', 'whoami', [])).result.result, 'only-a');
    } finally { a.close(); b.close(); }
  });

  /**
   * Real accounts publish the logged-in user's document (collection `users`) before the login's
   * result (ddp-protocol.md 8.2, 8.4); Meteor's fixture login has no accounts behind it.
   */
  async function expectUserDocument(c, id, username) {
    if (!IS_METEOR) await c.expect({ msg: 'added', collection: 'users', id, fields: { username } });
  }

  test('login resume: {id, token, tokenExpires:{$date}} and the user is set', () => withConn(async (c) => {
    const before = Date.now();
    c.send({ msg: 'method', id: 'l', method: 'login', params: [{ resume: 'valid-token' }] });
    await expectUserDocument(c, 'token-user', 'token-user');
    const { result } = await c.collectMethod('l');
    assert.equal(result.msg, 'result');
    assert.equal(result.id, 'l');
    const r = result.result;
    // real accounts add the login's type (ddp-protocol.md 8.2); Meteor's fixture login does not
    assert.deepStrictEqual(Object.keys(r).sort(), IS_METEOR ? ['id', 'token', 'tokenExpires'] : ['id', 'token', 'tokenExpires', 'type']);
    if (!IS_METEOR) assert.equal(r.type, 'resume');
    assert.equal(r.id, 'token-user');
    assert.equal(r.token, 'valid-token');
    assert.deepStrictEqual(Object.keys(r.tokenExpires), ['$date']);
    assert.equal(typeof r.tokenExpires.$date, 'number');
    assert.ok(r.tokenExpires.$date > before, 'tokenExpires lies in the future');
    assert.deepStrictEqual((await c.call('w', 'whoami', [])).result.result, 'token-user');
  }));

  test('login with a password digest for alice', () => withConn(async (c) => {
    c.send({ msg: 'method', id: 'p', method: 'login', params: [{ user: { username: 'alice' }, password: { digest: sha256hex('secret'), algorithm: 'sha-256' } }] });
    await expectUserDocument(c, 'alice-id', 'alice');
    const { result } = await c.collectMethod('p');
    const r = result.result;
    assert.equal(r.id, 'alice-id');
    if (IS_METEOR) assert.equal(r.token, 'alice-token');
    else assert.match(r.token, TOKEN_RE);
    assert.equal(typeof r.tokenExpires.$date, 'number');
    assert.deepStrictEqual((await c.call('w', 'whoami', [])).result.result, 'alice-id');
  }));

  for (const [name, arg, error] of [
    ['unknown resume token', { resume: 'bogus' }, UNKNOWN_TOKEN],
    ['wrong password digest', { user: { username: 'alice' }, password: { digest: sha256hex('wrong'), algorithm: 'sha-256' } }, WRONG_PASSWORD],
    ['empty options', {}, UNRECOGNIZED_LOGIN],
  ]) {
    test(`bad login (${name}) -> ${error.error} ${error.reason}, user unchanged`, () => withConn(async (c) => {
      const { result } = await c.call('b', 'login', [arg]);
      assert.deepStrictEqual(result, { msg: 'result', id: 'b', error });
      assert.deepStrictEqual((await c.call('w', 'whoami', [])).result.result, null);
    }));
  }

  // EJSON round trips through echo: the result must be the same EJSON as the params.
  const ejsonCases = [
    ['Date', '{"$date":1700000000123}'],
    ['epoch Date', '{"$date":0}'],
    ['binary', '{"$binary":"AQIDBP8="}'],
    ['empty binary', '{"$binary":""}'],
    ['NaN', '{"$InfNaN":0}'],
    ['Infinity', '{"$InfNaN":1}'],
    ['-Infinity', '{"$InfNaN":-1}'],
    ['escaped literal {$date:5}', '{"$escape":{"$date":5}}'],
    ['escaped literal {$type,$value}', '{"$escape":{"$type":"x","$value":1}}'],
    ['escape inside escape', '{"$escape":{"$escape":{"$date":5}}}'],
    ['escape whose value is EJSON', '{"$escape":{"$date":{"$date":32491}}}'],
    ['$-keys that are not a special form stay plain', '{"$date":1,"other":2}'],
    ['nested', '{"a":[{"$date":5},{"b":{"$binary":"AA=="}},[{"$InfNaN":-1}]],"c":{"d":null}}'],
  ];
  for (const [name, ejson] of ejsonCases) {
    test(`EJSON round trip through echo: ${name}`, () => withConn(async (c) => {
      c.send(`{"msg":"method","id":"j","method":"echo","params":[${ejson},"tail"]}`);
      const { result } = await c.collectMethod('j');
      assert.deepStrictEqual(result, { msg: 'result', id: 'j', result: [JSON.parse(ejson), 'tail'] });
    }));
  }

  test('EJSON regexp round trip, flags filtered to gimuy (7.1)', () => withConn(async (c) => {
    c.send('{"msg":"method","id":"r","method":"echo","params":[{"$regexp":"a+b","$flags":"gix"}]}');
    const { result } = await c.collectMethod('r');
    assert.deepStrictEqual(result, { msg: 'result', id: 'r', result: [{ $regexp: 'a+b', $flags: 'gi' }] });
  }));
});
