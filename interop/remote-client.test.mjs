// The sample app's methods that go through its own Java DDP client (`@DdpClient("remote")`,
// ddp.client.connections.remote: the app itself by default): a stock npm client calls
// remote.echo, the app calls `echo` on its remote connection and returns that result, so the
// EJSON values cross the Java client twice. Spring only: Meteor's fixture has no remote.*.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { IS_METEOR } from './lib/common.mjs';
import { openSimpleDdp } from './lib/clients.mjs';

const SPRING_ONLY = IS_METEOR && 'spring only: the Meteor reference fixture (app.js) has no remote.* methods';

describe('remote.* through the app\'s own Java DDP client (npm simpleddp)', { skip: SPRING_ONLY }, () => {
  let c;
  before(async () => { c = await open(); });
  after(async () => { if (c) await c.close(); });

  async function open() { return openSimpleDdp(); }

  test('remote.echo returns echo\'s result from the remote connection, EJSON intact', async () => {
    const args = ['a', 1, { d: new Date(1700000000123), nested: [true, null] }, new Uint8Array([1, 2, 250])];
    const { error, result } = await c.call('remote.echo', args);
    assert.equal(error, undefined);
    assert.equal(result.length, 4);
    assert.deepStrictEqual(result.slice(0, 2), ['a', 1]);
    assert.ok(result[2].d instanceof Date, 'the Date came back as a Date');
    assert.equal(result[2].d.getTime(), 1700000000123);
    assert.deepStrictEqual(result[2].nested, [true, null]);
    assert.deepStrictEqual(Array.from(result[3]), [1, 2, 250]);
  });

  test('remote.status is Meteor.status() of the remote connection', async () => {
    await c.call('remote.echo', ['connect first']);
    const { error, result } = await c.call('remote.status', []);
    assert.equal(error, undefined);
    assert.deepStrictEqual(result, { status: 'connected', connected: true, retryCount: 0 });
  });
});
