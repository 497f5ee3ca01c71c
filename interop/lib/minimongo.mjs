// Meteor's own Minimongo (npm minimongo-standalone: Meteor 1.1.0.1's matcher, sorter and
// modifier code, extracted), for the tests that hold this library's shared rules against it.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
// minimongo-standalone expects underscore as a global and defines the globals Minimongo and
// LocalCollection
globalThis._ = require('underscore');
require('minimongo-standalone/minimongo.js');

export const { Matcher, Sorter } = globalThis.Minimongo;
export const { LocalCollection } = globalThis;

/** Dates and regular expressions as EJSON, the way Meteor's client sends them. */
export function ejson(value) {
  if (value instanceof Date) return { $date: value.getTime() };
  if (value instanceof RegExp) return { $regexp: value.source, $flags: value.flags };
  if (Array.isArray(value)) return value.map(ejson);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, ejson(v)]));
  }
  return value;
}

/** Minimongo's answer, or `refused (<its message>)` when it throws. */
export function answerOf(question) {
  try {
    return question();
  } catch (e) {
    return `refused (${e.message})`;
  }
}

/** A value with every document's keys sorted: key order is not part of a document's value. */
export function canonical(value) {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.keys(value).sort().map((k) => [k, canonical(value[k])]));
  }
  return value;
}
