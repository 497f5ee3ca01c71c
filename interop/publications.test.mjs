// Publications through real npm DDP clients: `ddp` (maintainCollections), `simpleddp` (`ws`) and
// `@rocket.chat/ddp-client` (when installed). What is checked is what each library hands the
// application: its local collections / data callbacks, subscription readiness, and errors.
//
// Both servers: the fixture publications items(n), counter, overlapA/overlapB, failingPub
// (shared/meteor-reference/README.md). Spring only (the Meteor fixture has no todos): the
// sample app's todo list (publication `todos`, methods todos.add / todos.toggle / todos.remove,
// mutator methods /todos/insert etc.), including the id a seeded `/todos/insert` derives from
// the call's randomSeed (Meteor's Alea, lib/alea.mjs, checked here against ddp-protocol.md
// Appendix A).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { IS_METEOR, RawConn } from './lib/common.mjs';
import { alea, meteorInsertId } from './lib/alea.mjs';
import { openDdpPub, openSimpleDdpPub, openRocketChatPub, waitFor } from './lib/pubclients.mjs';

const SPRING_ONLY = IS_METEOR && 'spring only: the Meteor reference fixture (app.js) has no todos publication or todos methods';

let rocketChatMissing = false;
try { createRequire(import.meta.url).resolve('@rocket.chat/ddp-client'); } catch { rocketChatMissing = '@rocket.chat/ddp-client is not installed'; }

describe('Alea (lib/alea.mjs) reproduces the vectors of ddp-protocol.md Appendix A', () => {
  test('seeds ["hello"] -> 0.8750656815245748, 0.33650841237977147, 0.6642807484604418', () => {
    const a = alea(['hello']);
    assert.deepStrictEqual([a.fraction(), a.fraction(), a.fraction()],
      [0.8750656815245748, 0.33650841237977147, 0.6642807484604418]);
  });
  test('seeds ["0123456789abcdef0123", "/collection/tasks"] -> id() devBuvC559TzDB3E9, then MjBCWTC6R4Tr5jJ3h', () => {
    const a = alea(['0123456789abcdef0123', '/collection/tasks']);
    assert.equal(a.id(), 'devBuvC559TzDB3E9');
    assert.equal(a.id(), 'MjBCWTC6R4Tr5jJ3h');
    assert.equal(meteorInsertId('0123456789abcdef0123', 'tasks'), 'devBuvC559TzDB3E9');
  });
  test('seeds ["0123456789abcdef0123", "/rpc/inner"] -> hexString(20) 704ac0ec583c3c34d809', () => {
    assert.equal(alea(['0123456789abcdef0123', '/rpc/inner']).hexString(20), '704ac0ec583c3c34d809');
  });
});

const clients = [
  ['ddp', openDdpPub, false],
  ['simpleddp', openSimpleDdpPub, false],
  ['@rocket.chat/ddp-client', openRocketChatPub, rocketChatMissing],
];

for (const [lib, open, missing] of clients) {
  describe(`publications via npm ${lib}`, { skip: missing }, () => {
    /** Every scenario gets its own connection (simpleddp reuses a live subscription with the same name and args). */
    async function fresh(collections, fn) {
      const c = await open();
      try {
        for (const coll of collections) c.watch?.(coll);
        return await fn(c);
      } finally { await c.close(); }
    }

    test('items(3): i0..i2 with {value: index} reach the local collection, subscription ready', () => fresh(['items'], async (c) => {
      const s = c.subscribe('items', [3]);
      await s.ready();
      assert.deepStrictEqual(c.docs('items'), new Map([['i0', { value: 0 }], ['i1', { value: 1 }], ['i2', { value: 2 }]]));
      assert.deepStrictEqual(c.events.filter((e) => e.msg === 'added').map((e) => e.id).sort(), ['i0', 'i1', 'i2']);
    }));

    test('counter: changed events arrive with n increasing; the local doc follows', () => fresh(['counters'], async (c) => {
      const s = c.subscribe('counter', []);
      await s.ready();
      const changes = () => c.events.filter((e) => e.msg === 'changed' && e.collection === 'counters' && e.id === 'c');
      await waitFor(() => changes().length >= 4, 5000, 'four changed events of counters/c');
      const ns = changes().map((e) => e.fields.n);
      for (let i = 1; i < ns.length; i++) assert.ok(ns[i] > ns[i - 1], `n must increase: ${JSON.stringify(ns)}`);
      assert.ok(ns[0] >= 1, `first changed carries n >= 1, got ${ns[0]}`);
      await waitFor(() => c.docs('counters').get('c')?.n >= ns[3], 2000, 'local counters/c to follow');
      await s.stop();
      await waitFor(() => !c.docs('counters').has('c'), 2000, 'counters/c removed after stop');
      const after = changes().length;
      await new Promise((r) => setTimeout(r, 200));
      assert.equal(changes().length, after, 'no changed after the subscription stopped');
    }));

    test('stopping a subscription removes its documents from the client', () => fresh(['items'], async (c) => {
      const s = c.subscribe('items', [3]);
      await s.ready();
      assert.equal(c.docs('items').size, 3);
      await s.stop();
      await waitFor(() => c.docs('items').size === 0, 2000, 'items removed after stop');
      assert.deepStrictEqual(c.events.filter((e) => e.msg === 'removed').map((e) => e.id).sort(), ['i0', 'i1', 'i2']);
    }));

    test('overlapA + overlapB share one doc: merged, then B after A stops, then gone', () => fresh(['overlap'], async (c) => {
      const a = c.subscribe('overlapA', []);
      await a.ready();
      assert.deepStrictEqual(c.docs('overlap').get('shared'), { a: 1, common: 'A' });
      const b = c.subscribe('overlapB', []);
      await b.ready();
      await waitFor(() => c.docs('overlap').get('shared')?.b === 2, 2000, 'b merged into overlap/shared');
      assert.deepStrictEqual(c.docs('overlap'), new Map([['shared', { a: 1, b: 2, common: 'A' }]]));
      await a.stop();
      await waitFor(() => c.docs('overlap').get('shared')?.common === 'B', 2000, "common becomes 'B' after stopping A");
      assert.deepStrictEqual(c.docs('overlap'), new Map([['shared', { b: 2, common: 'B' }]]));
      await b.stop();
      await waitFor(() => !c.docs('overlap').has('shared'), 2000, 'overlap/shared removed after stopping B');
      assert.equal(c.docs('overlap').size, 0);
    }));

    test('failingPub: the subscription reports sub-failed / Subscription failed', () => fresh([], async (c) => {
      const s = c.subscribe('failingPub', []);
      const err = await s.ready().then(() => assert.fail('failingPub must not become ready'), (e) => e);
      assert.equal(err.error, 'sub-failed');
      assert.equal(err.reason, 'Subscription failed');
    }));

    test('todos: todos.add(x) -> local doc {text x, done false, createdAt Date}; todos.toggle -> changed done true',
      { skip: SPRING_ONLY }, () => fresh(['todos'], async (c) => {
        const s = c.subscribe('todos', []);
        await s.ready();
        const id = await c.call('todos.add', ['x']);
        assert.equal(typeof id, 'string');
        try {
          const doc = await waitFor(() => c.docs('todos').get(id), 3000, `todos/${id} in the local collection`);
          assert.equal(doc.text, 'x');
          assert.equal(doc.done, false);
          if (lib === '@rocket.chat/ddp-client') {
            // this library decodes frames with plain JSON.parse: the EJSON Date stays {$date: ms}
            assert.equal(typeof doc.createdAt?.$date, 'number', `createdAt ${JSON.stringify(doc.createdAt)}`);
            assert.ok(Math.abs(doc.createdAt.$date - Date.now()) < 60000);
          } else {
            assert.ok(doc.createdAt instanceof Date, `createdAt ${JSON.stringify(doc.createdAt)}`);
            assert.ok(Math.abs(doc.createdAt.getTime() - Date.now()) < 60000);
          }
          await c.call('todos.toggle', [id]);
          const ch = await waitFor(() => c.events.find((e) => e.msg === 'changed' && e.collection === 'todos' && e.id === id),
            3000, `changed for todos/${id}`);
          assert.equal(ch.fields.done, true);
          await waitFor(() => c.docs('todos').get(id)?.done === true, 2000, 'local doc done true');
        } finally {
          await c.call('todos.remove', [id]).catch(() => {});
        }
        await waitFor(() => !c.docs('todos').has(id), 3000, `todos/${id} removed after todos.remove`);
      }));
  });
}

describe('raw frames: /todos/insert derives the _id from randomSeed like Meteor', () => {
  test('id of result and added = Alea(["0123456789abcdef0123", "/collection/todos"]).id()', { skip: SPRING_ONLY }, async () => {
    const seed = '0123456789abcdef0123';
    const expected = meteorInsertId(seed, 'todos');
    const c = await RawConn.connected();
    try {
      // a server that ran this test before still holds the document: remove it first
      await c.call('pre', '/todos/remove', [{ _id: expected }]);
      c.send({ msg: 'sub', id: 's1', name: 'todos', params: [] });
      for (;;) {
        const m = await c.next(5000, 'ready of todos');
        if (m.msg === 'ready') { assert.deepStrictEqual(m.subs, ['s1']); break; }
        assert.equal(m.msg, 'added', `before ready only added may come: ${JSON.stringify(m)}`);
        assert.notEqual(m.id, expected, 'the seeded document was removed');
      }
      c.send('{"msg":"method","id":"1","method":"/todos/insert","params":[{"text":"seeded","done":false,"createdAt":{"$date":0}}],"randomSeed":"0123456789abcdef0123"}');
      let result; let updated; let added;
      while (!result || !updated || !added) {
        const m = await c.next(5000, 'result, updated and added of /todos/insert');
        if (m.msg === 'result' && m.id === '1') result = m;
        else if (m.msg === 'updated' && m.methods.includes('1')) updated = m;
        else if (m.msg === 'added') added = m;
        else assert.fail(`unexpected frame ${JSON.stringify(m)}`);
      }
      assert.deepStrictEqual(result, { msg: 'result', id: '1', result: expected });
      assert.deepStrictEqual(added, {
        msg: 'added', collection: 'todos', id: expected, fields: { text: 'seeded', done: false, createdAt: { $date: 0 } },
      });
      // clean up (still subscribed: the removal comes back as a `removed` frame)
      c.send({ msg: 'method', id: 'post', method: '/todos/remove', params: [{ _id: expected }] });
      let rmResult; let rmUpdated; let removed;
      while (!rmResult || !rmUpdated || !removed) {
        const m = await c.next(5000, 'result, updated and removed of the cleanup /todos/remove');
        if (m.msg === 'result' && m.id === 'post') rmResult = m;
        else if (m.msg === 'updated' && m.methods.includes('post')) rmUpdated = m;
        else if (m.msg === 'removed') removed = m;
        else assert.fail(`unexpected frame ${JSON.stringify(m)}`);
      }
      assert.equal(rmResult.error, undefined, `cleanup /todos/remove: ${JSON.stringify(rmResult)}`);
      assert.deepStrictEqual(removed, { msg: 'removed', collection: 'todos', id: expected });
    } finally { c.close(); }
  });
});
