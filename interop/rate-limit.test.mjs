// Rate limits (ddp-protocol.md section 9) through real npm DDP clients: the conformance
// fixture's `limited()` (3 calls per 5 s per connection) and `limitedPub()` (2 subscriptions
// per 5 s per connection). Against Meteor they run on interop/meteor/rate-limit-app.js, our
// own fixture with Meteor's DDPRateLimiter rules (DDP_RATELIMIT_URL, set by meteor.sh).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DDP_URL, IS_METEOR } from './lib/common.mjs';
import { openDdpNpm, openSimpleDdp } from './lib/clients.mjs';
import { openDdpPub, openRocketChatPub } from './lib/pubclients.mjs';

const URL = process.env.DDP_RATELIMIT_URL || (IS_METEOR ? '' : DDP_URL);
const skip = URL ? false : 'no rate-limit fixture for this server (set DDP_RATELIMIT_URL)';

const reason = (ms) => `Error, too many requests. Please slow down. You must wait ${Math.ceil(ms / 1000)} seconds before trying again.`;

function assertTooManyRequests(error, where) {
  assert.ok(error, `${where}: an error`);
  assert.equal(error.error, 'too-many-requests', `${where}: ${JSON.stringify(error)}`);
  const timeToReset = error.details && error.details.timeToReset;
  assert.ok(Number.isInteger(timeToReset) && timeToReset > 0 && timeToReset <= 5000, `${where}: timeToReset ${timeToReset}`);
  assert.equal(error.reason, reason(timeToReset));
  assert.equal(error.message, `${reason(timeToReset)} [too-many-requests]`);
  assert.equal(error.errorType, 'Meteor.Error');
  assert.equal(error.isClientSafe, true);
}

// The rules' windows are fixed, not sliding, and shared by every connection: when one ends
// amid a test's calls, the limit is not reached. The test then runs once more on fresh
// connections, in the window that has just begun.
async function inOneWindow(attempt) {
  if (!(await attempt())) {
    assert.ok(await attempt(), 'the limit was not reached in two windows in a row');
  }
}

for (const [lib, open] of [['ddp', openDdpNpm], ['simpleddp', openSimpleDdp]]) {
  describe(`rate limits via npm ${lib}`, { skip }, () => {
    test('the 4th limited() call of a connection within 5 s is too-many-requests, after its updated; another connection is unaffected', () => inOneWindow(async () => {
      const c = await open({ url: URL });
      const other = await open({ url: URL });
      try {
        for (let i = 0; i < 3; i++) {
          const { error, result } = await c.call('limited', []);
          assert.equal(error, undefined, `call ${i + 1}: ${JSON.stringify(error)}`);
          assert.equal(result, 'ok');
        }
        const { error, id } = await c.call('limited', []);
        if (!error) return false;
        assertTooManyRequests(error, lib);
        const raw = c.rawResult(id);
        assertTooManyRequests(raw.frame.error, `${lib} raw result frame`);
        const other1 = await other.call('limited', []);
        assert.equal(other1.result, 'ok');
        return true;
      } finally {
        await c.close();
        await other.close();
      }
    }));
  });
}

// simpleddp reuses one subscription for equal name and params, so it cannot show a third.
for (const [lib, open] of [['ddp', openDdpPub], ['@rocket.chat/ddp-client', openRocketChatPub]]) {
  describe(`subscription rate limits via npm ${lib}`, { skip }, () => {
    test('the 3rd limitedPub() subscription within 5 s ends in a nosub with too-many-requests', () => inOneWindow(async () => {
      const c = await open({ url: URL });
      try {
        await c.subscribe('limitedPub', []).ready();
        await c.subscribe('limitedPub', []).ready();
        const error = await c.subscribe('limitedPub', []).ready().then(() => null, (e) => e);
        if (error === null) return false;
        assertTooManyRequests(error, `${lib} nosub`);
        return true;
      } finally {
        await c.close();
      }
    }));
  });
}
