// Sorting (publications' limited windows, the Java client's local queries, and PostgreSQL's
// ddp_sort_key all follow Sort): the same documents and sort specifiers go to the real
// Minimongo's Sorter (npm minimongo-standalone) and, as EJSON over DDP, to the sample app's
// `sortOrder` method. Ties are broken by _id on both sides (Minimongo leaves them in insertion
// order; a store has no such order). Every document has every sort path: a missing field sorts
// as null here, as in MongoDB (what a Meteor server runs), and before null in Minimongo; and
// no path picks a list out of a list by position (Minimongo sorts by that list as a whole,
// Sort by its elements). Spring only: the Meteor reference server carries no Minimongo.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { IS_METEOR, RawConn } from './lib/common.mjs';
import { Sorter, ejson } from './lib/minimongo.mjs';

const VALUES = [
  null, 0, -1.5, 2, 10, 1e21, '', 'a', 'B', 'ab', 'é', 'z', {}, { a: 1 }, { a: 1, b: 1 }, { b: 0 },
  [], [3], [1, 5], [5, 1], ['x', 2], [[0]], [null], true, false, new Date(0), new Date(5),
];

// One document per value under v, and the same values under o.p and in lists of documents
const DOCS = VALUES.map((value, i) => ({
  _id: `d${String(i).padStart(2, '0')}`,
  v: value,
  o: [{ p: value }, [{ p: VALUES[(i * 7) % VALUES.length] }, { p: i }], { p: VALUES[(i * 5) % VALUES.length] }][i % 3],
  n: i % 4,
}));

const SORTS = [
  { v: 1 }, { v: -1 }, { 'o.p': 1 }, { 'o.p': -1 }, { n: 1, v: -1 }, { n: -1, 'o.p': 1 },
  [['v', 'asc']], [['n', 'desc'], ['v', 'asc']], { _id: -1 }, {},
];

// Lists of documents sorted by a position's field: a numeric part only indexes the list
const LISTS = VALUES.map((value, i) => ({
  _id: `l${String(i).padStart(2, '0')}`,
  o: [{ p: value }, { p: VALUES[(i * 7) % VALUES.length] }],
}));

const LIST_SORTS = [{ 'o.0.p': 1 }, { 'o.1.p': -1 }, { 'o.p': 1 }];

function minimongoOrder(docs, spec) {
  const byKeys = new Sorter(spec).getComparator();
  const byId = (a, b) => (a._id < b._id ? -1 : (a._id > b._id ? 1 : 0));
  return docs.slice().sort((a, b) => byKeys(a, b) || byId(a, b)).map((doc) => doc._id);
}

describe('sorting: this library against Minimongo', { skip: IS_METEOR && 'the Meteor reference has no Minimongo' }, () => {
  let conn;
  before(async () => { conn = await RawConn.connected(); });
  after(() => conn?.ws.terminate());

  test(`${SORTS.length + LIST_SORTS.length} sorts of ${DOCS.length} documents of mixed types come out in Minimongo's order`, async () => {
    const differences = [];
    const runs = [...SORTS.map((spec) => [DOCS, spec]), ...LIST_SORTS.map((spec) => [LISTS, spec])];
    for (const [i, [docs, spec]] of runs.entries()) {
      const expected = minimongoOrder(docs, spec);
      const { result } = await conn.call(`o${i}`, 'sortOrder', [spec, ejson(docs)]);
      assert.equal(result.error, undefined, JSON.stringify(result.error));
      if (JSON.stringify(result.result) !== JSON.stringify(expected)) {
        differences.push(`${JSON.stringify(spec)}: Minimongo ${expected.join(' ')}, we ${result.result.join(' ')}`);
      }
    }
    assert.deepStrictEqual(differences, []);
  });
});
