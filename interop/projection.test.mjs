// Projections (a cursor's `fields` option, which publications and the Java client's local
// queries share): the same documents and specifiers go to the real Minimongo's
// _compileProjection (npm minimongo-standalone) and, as EJSON over DDP, to the sample app's
// `projection` method (Fields). The id is compared apart: DDP always sends it, whatever the
// specifier says. Spring only: the Meteor reference server carries no Minimongo.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { IS_METEOR, RawConn } from './lib/common.mjs';
import { LocalCollection, answerOf, canonical, ejson } from './lib/minimongo.mjs';

const DOCS = [
  { _id: 'p1', a: { b: 1, c: 2, d: { e: 3, f: 4 } }, g: 5, h: [1, 2] },
  { _id: 'p2', a: [{ b: 1, c: 2 }, { b: 3 }, 7, [{ b: 8 }]], g: null },
  { _id: 'p3', a: 'text', g: { b: 1 } },
  { _id: 'p4' },
  { _id: 'p5', a: { b: [{ c: 1, x: 0 }, { c: 2 }] }, at: new Date(5), bin: { nested: true } },
];

const SPECS = [
  { g: 1 }, { g: 0 }, { 'a.b': 1 }, { 'a.b': 0 }, { 'a.d.e': 1, g: 1 }, { 'a.d': 0, h: 0 }, { 'a.b.c': 1 },
  { 'a.b.c': 0 }, { a: 1, _id: 0 }, { _id: 1 }, { _id: 0 }, { at: 1, 'bin.nested': 1 }, { missing: 1 }, { missing: 0 },
  { g: true, h: true }, { g: false },
];

function minimongo(spec) {
  return answerOf(() => {
    const project = LocalCollection._compileProjection(spec);
    return DOCS.map((doc) => project(structuredClone(doc)));
  });
}

// Key order is not compared: Minimongo follows the specifier's, Fields the document's
const withoutId = (docs) => docs.map(({ _id, ...rest }) => canonical(rest));

describe('projections: this library against Minimongo', { skip: IS_METEOR && 'the Meteor reference has no Minimongo' }, () => {
  let conn;
  before(async () => { conn = await RawConn.connected(); });
  after(() => conn?.ws.terminate());

  test(`${SPECS.length} field specifiers project ${DOCS.length} documents as Minimongo does`, async () => {
    const differences = [];
    for (const [i, spec] of SPECS.entries()) {
      // dates travel as EJSON both ways: compare the JSON forms
      const expected = minimongo(spec);
      const { result } = await conn.call(`f${i}`, 'projection', [spec, ejson(DOCS)]);
      assert.equal(result.error, undefined, JSON.stringify(result.error));
      const ours = JSON.stringify(withoutId(result.result));
      const theirs = JSON.stringify(withoutId(expected.map(ejson)));
      if (ours !== theirs) differences.push(`${JSON.stringify(spec)}: Minimongo ${theirs}, we ${ours}`);
    }
    assert.deepStrictEqual(differences, []);
  });

  test('mixing inclusion and exclusion is refused by both', async () => {
    const spec = { a: 1, g: 0 };
    assert.match(minimongo(spec), /^refused/);
    const { result } = await conn.call('mixed', 'projection', [spec, []]);
    assert.equal(result.error.error, 400);
    assert.equal(result.error.reason, 'You cannot currently mix including and excluding fields.');
  });
});
