// Selectors (Minimongo's matcher, which publications and the Java client's local collections
// share): the same selectors and documents go to the real Minimongo (npm minimongo-standalone,
// Meteor's own matcher code, extracted) and, as EJSON over DDP, to the sample app's
// `selectorMatches` method, which answers with this library's Selector. Spring only: the
// Meteor reference server carries no Minimongo.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { IS_METEOR, RawConn } from './lib/common.mjs';
import { Matcher, answerOf, ejson } from './lib/minimongo.mjs';

const DOCS = [
  {},
  { a: 1 },
  { a: 1.5, b: 'x' },
  { a: null },
  { a: 'abc', s: 'Hello World' },
  { a: [1, 2, 3] },
  { a: [[1, 2], 3] },
  { a: [] },
  { a: ['x', 'y'], tags: ['red', 'blue'] },
  { tags: 'red' },
  { tags: ['red', ['blue']] },
  { s: 'café' },
  { s: 'line1\nline2' },
  { s: 'ABC', n: 8 },
  { s: ['abc', 'xyz'] },
  { s: /ab/i },
  { n: [1, 8] },
  { n: [1, 10] },
  { n: [[8]] },
  { n: 8 },
  { n: '8' },
  { items: [{ n: 1, k: 'a' }, { n: 5, k: 'b' }] },
  { items: [{ n: 5, k: 'a' }] },
  { items: [1, { n: 5 }] },
  { items: [{ n: 5 }, 1] },
  { items: [[6, 7]] },
  { items: { n: 5 } },
  { o: { p: [{ q: 1 }, { q: [2, 3] }] } },
  { d: new Date(1000) },
  { d: [new Date(500), new Date(2000)] },
  { e: true, f: false },
];

const SELECTORS = [
  // equality, null, arrays, dotted paths
  {}, { a: 1 }, { a: null }, { a: [1, 2, 3] }, { a: 2 }, { 'a.0': 1 }, { 'a.0': [1, 2] },
  { 'a.1': 3 }, { 'a.0': { $size: 2 } }, { 'a.0': { $gt: 1 } }, { 'tags.1': 'blue' }, { 'tags.1': ['blue'] },
  { 'items.0': { $elemMatch: { $gt: 6 } } }, { 'o.p.q': 2 }, { 'o.p.q': [2, 3] }, { 'items.n': 5 }, { 'items.k': 'a', 'items.n': 5 }, { e: true },
  // comparisons, sets, existence
  { a: { $gt: 1 } }, { a: { $lte: 1.5 } }, { n: { $gt: 5 } }, { n: { $gt: 5, $lt: 9 } }, { n: { $gte: '7' } },
  { d: { $gt: new Date(900) } }, { a: { $in: [2, 'abc'] } }, { a: { $nin: [1, null] } },
  { a: { $exists: true } }, { a: { $exists: false } }, { a: { $ne: 1 } },
  // logical
  { $or: [{ a: 1 }, { b: 'x' }] }, { $and: [{ a: { $exists: true } }, { a: { $ne: null } }] },
  { $nor: [{ a: 1 }, { n: 8 }] }, { a: { $not: { $gt: 1 } } },
  // regular expressions
  { s: /^hello/i }, { s: /world$/ }, { s: /^line2/ }, { s: /^line2/m }, { s: /b/ }, { s: /É/i },
  { s: { $regex: 'ab' } }, { s: { $regex: 'AB', $options: 'i' } }, { s: { $regex: /ab/i, $options: '' } },
  { s: { $regex: '^x', $options: 'g' } }, { s: { $not: /ab/ } }, { s: { $in: [/^x/, 'ABC'] } },
  { s: { $nin: [/c$/] } }, { a: /1/ }, { n: /8/ },
  // $size
  { a: { $size: 3 } }, { a: { $size: 2 } }, { a: { $size: 0 } }, { a: { $size: '2' } }, { a: { $size: '0' } },
  { a: { $size: 1.5 } }, { tags: { $size: 2 } }, { 'o.p.q': { $size: 2 } }, { a: { $not: { $size: 3 } } },
  // $mod and $type (numeric codes; Minimongo 1.1 has no string aliases)
  { n: { $mod: [4, 0] } }, { a: { $mod: [2, 1] } }, { n: { $mod: [3, 2] } }, { a: { $mod: [-2, 1] } },
  { a: { $mod: [1, 0.5] } }, { a: { $not: { $mod: [2, 0] } } }, { 'items.n': { $mod: [5, 0] } },
  { a: { $type: 1 } }, { a: { $type: 2 } }, { a: { $type: 4 } }, { a: { $type: 10 } }, { s: { $type: 11 } },
  { s: { $type: 2 } }, { d: { $type: 9 } }, { items: { $type: 3 } }, { items: { $type: 4 } }, { e: { $type: 8 } },
  { 'a.0': { $type: 4 } }, { n: { $type: 16 } }, { a: { $not: { $type: 2 } } }, { tags: { $elemMatch: { $type: 4 } } },
  // $all
  { tags: { $all: ['red'] } }, { tags: { $all: ['red', 'blue'] } }, { tags: { $all: [] } },
  { tags: { $all: [['blue']] } }, { a: { $all: [1, 3] } }, { a: { $all: [[1, 2]] } }, { s: { $all: [/a/, /z/] } },
  // $elemMatch on documents and on values
  { items: { $elemMatch: { n: 5 } } }, { items: { $elemMatch: { n: { $gt: 2 }, k: 'a' } } },
  { items: { $elemMatch: { n: { $gt: 2 }, k: 'b' } } },
  { items: { $elemMatch: {} } }, { items: { $elemMatch: { 1: 7 } } }, { items: { $elemMatch: { n: { $exists: true } } } },
  { n: { $elemMatch: { $gt: 5 } } }, { n: { $elemMatch: { $gt: 5, $lt: 9 } } }, { a: { $elemMatch: { $size: 2 } } },
  { a: { $elemMatch: { $elemMatch: { $gt: 1 } } } }, { a: { $elemMatch: { $in: [3] } } }, { tags: { $elemMatch: { $regex: '^r' } } },
  { n: { $elemMatch: { $not: { $gt: 5 } } } }, { d: { $elemMatch: { $gt: new Date(1000) } } },
  { items: { $not: { $elemMatch: { n: 5 } } } },
  // refused by both
  { a: { $regex: 1 } }, { a: { $regex: 'x', $options: 's' } }, { a: { $options: 'i' } }, { a: { $size: true } },
  { a: { $all: 1 } }, { a: { $all: [{ $gt: 1 }] } }, { a: { $elemMatch: 1 } },
  { a: { $mod: [2] } }, { a: { $mod: 'x' } }, { a: { $mod: [2, '1'] } }, { a: { $type: true } },
  { a: { $elemMatch: { $gt: 1, $or: [{ b: 1 }] } } }, { a: { $foo: 1 } }, { $foo: [] }, { a: { $gt: 1, b: 2 } },
];

// Selectors whose meaning Meteor settled after the Minimongo in minimongo-standalone (Meteor
// 1.1.0.1, 2015): Meteor 1.9's Minimongo has $eq, takes $and/$or/$nor inside an $elemMatch
// on documents and string aliases for $type; that old one refuses them. We follow Meteor 1.9.
const NEWER_THAN_MINIMONGO_1_1 = [
  [{ s: { $eq: /ab/i } }, DOCS.map((doc) => typeof doc.s === 'string' && /ab/i.test(doc.s)
    || (Array.isArray(doc.s) && doc.s.some((v) => /ab/i.test(v))) || String(doc.s) === '/ab/i')],
  [{ items: { $elemMatch: { $or: [{ k: 'z' }, { n: 5 }] } } }, DOCS.map((doc) => Array.isArray(doc.items)
    && new Matcher({ items: { $elemMatch: { n: 5 } } }).documentMatches(doc).result)],
  // Meteor 1.9's $type takes MongoDB's string aliases for the codes
  [{ a: { $type: 'array' } }, DOCS.map((doc) => new Matcher({ a: { $type: 4 } }).documentMatches(doc).result)],
  [{ s: { $type: 'regex' } }, DOCS.map((doc) => new Matcher({ s: { $type: 11 } }).documentMatches(doc).result)],
];


function minimongo(selector) {
  return answerOf(() => {
    const matcher = new Matcher(selector);
    return DOCS.map((doc) => matcher.documentMatches(doc).result);
  });
}

const show = (selector) => JSON.stringify(ejson(selector));

describe('selectors: this library against Minimongo', { skip: IS_METEOR && 'the Meteor reference has no Minimongo' }, () => {
  let conn;
  before(async () => { conn = await RawConn.connected(); });
  after(() => conn?.ws.terminate());

  test(`${SELECTORS.length} selectors x ${DOCS.length} documents select the same documents`, async () => {
    const differences = [];
    let refused = 0;
    for (const [i, selector] of SELECTORS.entries()) {
      const expected = minimongo(selector);
      const { result } = await conn.call(`s${i}`, 'selectorMatches', [ejson(selector), ejson(DOCS)]);
      if (typeof expected === 'string') {
        refused++;
        if (!result.error) differences.push(`${show(selector)}: Minimongo ${expected}, we selected ${JSON.stringify(result.result)}`);
        else assert.equal(result.error.error, 400, JSON.stringify(result.error));
        continue;
      }
      if (result.error) {
        differences.push(`${show(selector)}: we refused (${result.error.reason}), Minimongo selected ${JSON.stringify(expected)}`);
        continue;
      }
      const wrong = DOCS.map((doc, d) => (result.result[d] === expected[d] ? null : `${show(doc)} -> ${expected[d]}`))
        .filter(Boolean);
      if (wrong.length) differences.push(`${show(selector)}: Minimongo says ${wrong.join(', ')}; we say the opposite`);
    }
    for (const [selector, expected] of NEWER_THAN_MINIMONGO_1_1) {
      assert.match(minimongo(selector), /^refused/);
      const { result } = await conn.call(`n${show(selector)}`, 'selectorMatches', [ejson(selector), ejson(DOCS)]);
      if (JSON.stringify(result.result) !== JSON.stringify(expected)) {
        differences.push(`${show(selector)} (Meteor 1.9): we selected ${JSON.stringify(result.result)}, expected ${JSON.stringify(expected)}`);
      }
    }
    assert.deepStrictEqual(differences, []);
    // the corpus does reach both sides of the comparison
    assert.ok(refused >= 10 && refused < SELECTORS.length / 4, `refused ${refused}`);
  });
});
