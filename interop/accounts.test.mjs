// Accounts over DDP (ddp-protocol.md section 8) through real npm clients and raw frames.
//
// kind=meteor runs on the genuine Meteor reference, whose fixture `login` is hand-written
// (app.js: no accounts package, no `logout`): `valid-token` -> token-user, alice + digest of
// `secret` -> alice-id with token `alice-token`, anything else 403 "Login forbidden".
// kind=spring runs on the sample app, whose `login` is real accounts: 43-character tokens,
// Meteor accounts' error messages, `logout`, `getNewToken`, `removeOtherTokens`.
// Where the two differ by design each server's exact answer is asserted.
// The rate limit runs on both: on Meteor through interop/meteor/rate-limit-app.js (Meteor's
// real DDPRateLimiter with accounts' default login rule; DDP_RATELIMIT_URL, set by meteor.sh).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import ddpLogin from 'ddp-login';
import { createClass } from 'asteroid';
import WebSocket from 'ws';
import {
  DDP_URL, IS_METEOR, RawConn, TOKEN_RE, UNKNOWN_TOKEN, WRONG_PASSWORD, meteorError, sha256hex, withTimeout,
} from './lib/common.mjs';
import { openDdpNpm } from './lib/clients.mjs';
import { waitFor } from './lib/pubclients.mjs';

const DAY = 24 * 3600 * 1000;

const digest = (password) => ({ digest: sha256hex(password), algorithm: 'sha-256' });
const passwordLogin = (username, password) => ({ user: { username }, password: digest(password) });

/** Opens a raw connection, runs fn, always closes it. */
async function withRaw(fn, url = DDP_URL) {
  const c = await RawConn.connected(url);
  try { return await fn(c); } finally { c.close(); }
}

/**
 * Calls a method on a raw connection and collects its result and updated frames. Data
 * frames of the `users` collection (accounts' universal publication of the logged-in user)
 * may come in between; they are returned in `data`. Anything else fails.
 */
async function rawCall(c, id, method, params) {
  c.send({ msg: 'method', id, method, params });
  let result; let updated; const data = [];
  while (!result || !updated) {
    const m = await c.next(5000, `result+updated of ${method} ${id}`);
    if (m.msg === 'result' && m.id === id) result = m;
    else if (m.msg === 'updated' && m.methods.includes(id)) updated = m;
    else if (m.collection === 'users' && ['added', 'changed', 'removed'].includes(m.msg)) {
      assert.equal(result, undefined, `${JSON.stringify(m)} after the result: the data must precede it`);
      data.push(m);
    } else assert.fail(`unexpected frame during ${method} ${id}: ${JSON.stringify(m)}`);
  }
  return { result, updated, data };
}

/** Logs in on a raw connection; returns the result's `result` object. */
async function rawLogin(c, id, arg) {
  const { result } = await rawCall(c, id, 'login', [arg]);
  assert.equal(result.error, undefined, `login ${JSON.stringify(arg)}: ${JSON.stringify(result.error)}`);
  return result.result;
}

async function whoami(c, id = 'w') {
  return (await rawCall(c, id, 'whoami', [])).result.result;
}

/** ddp-login's callback API as a promise resolving {err, res}. */
function viaDdpLogin(fn) {
  return withTimeout(new Promise((resolve) => fn((err, res) => resolve({ err, res }))), 5000, 'ddp-login');
}

describe('npm ddp-login', () => {
  // ddp-login looks for a token in this environment variable first: one that is never set
  const options = { env: 'DDP_INTEROP_NO_SUCH_TOKEN', method: 'account', retry: 1 };

  test('logs in by token: valid-token -> token-user, the same token back', async () => {
    const c = await openDdpNpm();
    try {
      const { err, res } = await viaDdpLogin((cb) => ddpLogin.loginWithToken(c.client, 'valid-token', cb));
      assert.equal(err, undefined);
      assert.equal(res.id, 'token-user');
      assert.equal(res.token, 'valid-token');
      assert.ok(res.tokenExpires instanceof Date && res.tokenExpires.getTime() > Date.now());
      assert.equal((await c.call('whoami', [])).result, 'token-user');
    } finally {
      await c.close();
    }
  });

  test('logs in by password (alice/secret, sent as the SHA-256 digest)', async () => {
    const c = await openDdpNpm();
    try {
      const { err, res } = await viaDdpLogin((cb) => ddpLogin(c.client, { ...options, account: 'alice', pass: 'secret' }, cb));
      assert.equal(err, undefined);
      assert.equal(res.id, 'alice-id');
      if (IS_METEOR) assert.equal(res.token, 'alice-token');
      else assert.match(res.token, TOKEN_RE);
      const login = c.sent.map((s) => JSON.parse(s)).find((m) => m.method === 'login');
      assert.deepStrictEqual(login.params, [passwordLogin('alice', 'secret')]);
      assert.equal((await c.call('whoami', [])).result, 'alice-id');
    } finally {
      await c.close();
    }
  });

  test('a wrong password and an unknown token are refused with the server\'s exact error', async () => {
    const c = await openDdpNpm();
    try {
      const wrong = await viaDdpLogin((cb) => ddpLogin(c.client, { ...options, account: 'alice', pass: 'wrong' }, cb));
      assert.deepStrictEqual(wrong.err, WRONG_PASSWORD);
      const unknown = await viaDdpLogin((cb) => ddpLogin.loginWithToken(c.client, 'no-such-token', cb));
      assert.deepStrictEqual(unknown.err, UNKNOWN_TOKEN);
      assert.equal((await c.call('whoami', [])).result, null);
    } finally {
      await c.close();
    }
  });
});

describe('Meteor-protocol password login, raw frames', () => {
  test('digest login: the result\'s exact shape, the user set before the result', () => withRaw(async (c) => {
    const before = Date.now();
    const { result, updated, data } = await rawCall(c, 'p', 'login', [passwordLogin('alice', 'secret')]);
    assert.deepStrictEqual(updated, { msg: 'updated', methods: ['p'] });
    const r = result.result;
    if (IS_METEOR) {
      // app.js: a fixed token, expiring a day ahead, no `type`
      assert.deepStrictEqual(Object.keys(r).sort(), ['id', 'token', 'tokenExpires']);
      assert.equal(r.token, 'alice-token');
      assert.ok(Math.abs(r.tokenExpires.$date - (before + DAY)) < 60000, JSON.stringify(r));
    } else {
      assert.deepStrictEqual(Object.keys(r).sort(), ['id', 'token', 'tokenExpires', 'type']);
      assert.equal(r.type, 'password');
      assert.match(r.token, TOKEN_RE);
      assert.ok(Math.abs(r.tokenExpires.$date - (before + 90 * DAY)) < 60000, JSON.stringify(r));
    }
    assert.equal(r.id, 'alice-id');
    assert.deepStrictEqual(Object.keys(r.tokenExpires), ['$date']);
    assert.ok(Number.isInteger(r.tokenExpires.$date));
    // accounts publish the logged-in user's document (before the result); the fixture does not
    assert.deepStrictEqual(data, IS_METEOR ? []
      : [{ msg: 'added', collection: 'users', id: 'alice-id', fields: { username: 'alice' } }]);
    assert.equal(await whoami(c), 'alice-id');
  }));

  test('two digest logins of one user get two different tokens', { skip: IS_METEOR && 'the fixture login has one token' }, async () => {
    const first = await withRaw((c) => rawLogin(c, 'a', passwordLogin('alice', 'secret')));
    const second = await withRaw((c) => rawLogin(c, 'b', passwordLogin('alice', 'secret')));
    assert.notEqual(first.token, second.token);
  });

  test('plaintext password login (non-Meteor clients)', () => withRaw(async (c) => {
    const { result } = await rawCall(c, 'p', 'login', [{ user: { username: 'alice' }, password: 'secret' }]);
    if (IS_METEOR) {
      // the fixture accepts only the digest form
      assert.deepStrictEqual(result.error, meteorError(403, 'Login forbidden'));
      assert.equal(await whoami(c), null);
    } else {
      assert.equal(result.result.id, 'alice-id');
      assert.equal(result.result.type, 'password');
      assert.match(result.result.token, TOKEN_RE);
      assert.equal(await whoami(c), 'alice-id');
    }
  }));
});

describe('accounts on the sample app', { skip: IS_METEOR && 'real accounts only: the Meteor fixture login is hand-written' }, () => {
  test('a resume login returns the presented token, type resume', async () => {
    const first = await withRaw((c) => rawLogin(c, 'p', passwordLogin('alice', 'secret')));
    await withRaw(async (c) => {
      const r = await rawLogin(c, 'r', { resume: first.token });
      assert.deepStrictEqual(r, { id: 'alice-id', token: first.token, tokenExpires: first.tokenExpires, type: 'resume' });
      assert.equal(await whoami(c), 'alice-id');
    });
  });

  test('logout: no user, nothing returned, and the token no longer resumes', () => withRaw(async (c) => {
    const login = await rawLogin(c, 'p', passwordLogin('alice', 'secret'));
    const { result, data } = await rawCall(c, 'o', 'logout', []);
    assert.deepStrictEqual(result, { msg: 'result', id: 'o' });
    // the user's document goes away with the user, before the result
    assert.deepStrictEqual(data, [{ msg: 'removed', collection: 'users', id: 'alice-id' }]);
    assert.equal(await whoami(c), null);
    await withRaw(async (d) => {
      const refused = await rawCall(d, 'r', 'login', [{ resume: login.token }]);
      assert.deepStrictEqual(refused.result.error, UNKNOWN_TOKEN);
    });
  }));

  test('logoutOtherClients (getNewToken, then removeOtherTokens) closes the other client\'s connection', async () => {
    const a = await RawConn.connected();
    const b = await RawConn.connected();
    try {
      const la = await rawLogin(a, 'la', passwordLogin('alice', 'secret'));
      const lb = await rawLogin(b, 'lb', passwordLogin('alice', 'secret'));
      assert.notEqual(la.token, lb.token);

      const fresh = (await rawCall(a, 'n', 'getNewToken', [])).result.result;
      assert.equal(fresh.id, 'alice-id');
      assert.match(fresh.token, TOKEN_RE);
      assert.notEqual(fresh.token, la.token);
      // the new token keeps the old one's creation time, so its expiry
      assert.deepStrictEqual(fresh.tokenExpires, la.tokenExpires);

      const removed = await rawCall(a, 'x', 'removeOtherTokens', []);
      assert.deepStrictEqual(removed.result, { msg: 'result', id: 'x' });
      await b.waitClosed(5000);
      assert.equal(await whoami(a), 'alice-id');

      for (const [token, expected] of [[fresh.token, null], [la.token, UNKNOWN_TOKEN], [lb.token, UNKNOWN_TOKEN]]) {
        await withRaw(async (c) => {
          const { result } = await rawCall(c, 'r', 'login', [{ resume: token }]);
          if (expected) assert.deepStrictEqual(result.error, expected);
          else assert.equal(result.result.id, 'alice-id');
        });
      }
    } finally {
      a.close();
      b.close();
    }
  });

  test('logout on one connection closes the other connection using the same token', async () => {
    const a = await RawConn.connected();
    const b = await RawConn.connected();
    try {
      const la = await rawLogin(a, 'la', passwordLogin('alice', 'secret'));
      await rawLogin(b, 'lb', { resume: la.token });
      await rawCall(a, 'o', 'logout', []);
      await b.waitClosed(5000);
      assert.equal(await whoami(a), null);
    } finally {
      a.close();
      b.close();
    }
  });

  test('the user\'s document is live: a profile set on the server reaches the caller before the result and the npm ddp client\'s collection', async () => {
    const other = await openDdpNpm({ maintainCollections: true });
    try {
      assert.equal((await other.call('login', [passwordLogin('alice', 'secret')])).error, undefined);
      const users = () => other.client.collections.users ?? {};
      await waitFor(() => users()['alice-id'], 5000, 'alice in the ddp client\'s users');
      await withRaw(async (c) => {
        await rawLogin(c, 'p', passwordLogin('alice', 'secret'));
        const set = await rawCall(c, 's', 'setProfile', [{ name: 'Alice', city: 'Oslo' }]);
        assert.deepStrictEqual(set.result, { msg: 'result', id: 's' });
        assert.deepStrictEqual(set.data,
          [{ msg: 'changed', collection: 'users', id: 'alice-id', fields: { profile: { name: 'Alice', city: 'Oslo' } } }]);
        await waitFor(() => users()['alice-id'].profile?.city === 'Oslo', 5000, 'the new profile in the ddp client');
        assert.deepStrictEqual(users()['alice-id'], { _id: 'alice-id', username: 'alice', profile: { name: 'Alice', city: 'Oslo' } });
        // an empty profile is no profile: the field is cleared
        const cleared = await rawCall(c, 't', 'setProfile', [{}]);
        assert.deepStrictEqual(cleared.data, [{ msg: 'changed', collection: 'users', id: 'alice-id', cleared: ['profile'] }]);
        await waitFor(() => !('profile' in users()['alice-id']), 5000, 'the profile cleared in the ddp client');
      });
      // a caller who is not logged in is refused, and so is a null field
      await withRaw(async (c) => {
        const refused = await rawCall(c, 'a', 'setProfile', [{ name: 'x' }]);
        assert.equal(refused.result.error.error, 403);
        await rawLogin(c, 'p', passwordLogin('alice', 'secret'));
        const nulled = await rawCall(c, 'n', 'setProfile', [{ name: null }]);
        assert.equal(nulled.result.error.error, 400);
        assert.equal(nulled.result.error.reason, 'A profile field may not be null; leave it out instead');
      });
    } finally {
      await other.close();
    }
  });

  test('getNewToken while logged out is refused', () => withRaw(async (c) => {
    const { result } = await rawCall(c, 'n', 'getNewToken', []);
    assert.deepStrictEqual(result.error, meteorError('You are not logged in.'));
  }));

  test('npm asteroid: plaintext loginWithPassword, resume on its next connection, logout', async () => {
    const Asteroid = createClass();
    const open = async () => {
      const a = new Asteroid({ endpoint: DDP_URL, SocketConstructor: WebSocket, autoReconnect: false });
      await withTimeout(new Promise((resolve) => a.on('connected', resolve)), 5000, 'asteroid connect');
      return a;
    };
    const first = await open();
    try {
      assert.equal(await first.loginWithPassword({ username: 'alice', password: 'secret' }), 'alice-id');
      assert.equal(await first.call('whoami'), 'alice-id');
    } finally {
      first.disconnect();
    }
    // asteroid keeps the token and resumes with it when it connects
    const second = await open();
    try {
      await withTimeout(new Promise((resolve) => (second.loggedIn ? resolve() : second.on('loggedIn', resolve))), 5000, 'asteroid resume');
      assert.equal(second.userId, 'alice-id');
      assert.equal(await second.call('whoami'), 'alice-id');
      assert.equal(await second.logout(), null);
      assert.equal(await second.call('whoami'), null);
    } finally {
      second.disconnect();
    }
  });
});

describe('login rate limit (accounts\' default rule: 5 per 10 s per connection)', () => {
  const url = IS_METEOR ? process.env.DDP_RATELIMIT_URL : DDP_URL;
  const skip = url ? false : 'no rate-limit fixture for the Meteor server (set DDP_RATELIMIT_URL)';
  const reason = (ms) => `Error, too many requests. Please slow down. You must wait ${Math.ceil(ms / 1000)} seconds before trying again.`;

  /**
   * Five wrong passwords, then a sixth login; returns the sixth's result frame. The rule's
   * window is fixed (not sliding) and shared by all connections: when it happens to end amid
   * the six calls the sixth is not limited, and the caller starts over on a fresh connection,
   * whose six calls then fall in a window that has just begun.
   */
  async function sixLogins(c, prefix) {
    for (let i = 1; i <= 5; i++) {
      const { result } = await rawCall(c, `${prefix}${i}`, 'login', [passwordLogin('alice', 'wrong')]);
      assert.deepStrictEqual(result.error, WRONG_PASSWORD, `login ${i}`);
    }
    return (await rawCall(c, `${prefix}6`, 'login', [passwordLogin('alice', 'secret')])).result;
  }

  test('the 6th login within 10 s is too-many-requests with details.timeToReset; other connections still log in', { skip }, async () => {
    let c = await RawConn.connected(url);
    try {
      let sixth = await sixLogins(c, 'a');
      if (!sixth.error) {
        // the window turned over during the six calls, so this connection's count in the new
        // window is unknown (and it is now logged in): repeat on a connection of its own
        c.close();
        c = await RawConn.connected(url);
        sixth = await sixLogins(c, 'b');
      }
      const { error } = sixth;
      assert.ok(error, `6th login: ${JSON.stringify(sixth)}`);
      const timeToReset = error.details && error.details.timeToReset;
      assert.ok(Number.isInteger(timeToReset) && timeToReset > 0 && timeToReset <= 10000, `timeToReset ${timeToReset}`);
      assert.deepStrictEqual(error, meteorError('too-many-requests', reason(timeToReset), { timeToReset }));
      assert.equal(await whoami(c), null);
      await withRaw(async (d) => {
        assert.equal((await rawLogin(d, 'ok', passwordLogin('alice', 'secret'))).id, 'alice-id');
      }, url);
    } finally {
      c.close();
    }
  });
});

describe('adminOnly (Spring Security method security)', { skip: IS_METEOR && 'not part of the Meteor fixture' }, () => {
  test('anonymous and alice (USER) are denied with 403 Access denied, root (ADMIN) gets ok', async () => {
    await withRaw(async (c) => {
      const { result } = await rawCall(c, 'anon', 'adminOnly', []);
      assert.deepStrictEqual(result.error, meteorError(403, 'Access denied'));
      await rawLogin(c, 'p', passwordLogin('alice', 'secret'));
      const denied = await rawCall(c, 'alice', 'adminOnly', []);
      assert.deepStrictEqual(denied.result, { msg: 'result', id: 'alice', error: meteorError(403, 'Access denied') });
    });
    await withRaw(async (c) => {
      await rawLogin(c, 'p', passwordLogin('root', 'rootpw'));
      const allowed = await rawCall(c, 'root', 'adminOnly', []);
      assert.deepStrictEqual(allowed.result, { msg: 'result', id: 'root', result: 'ok' });
    });
  });
});
