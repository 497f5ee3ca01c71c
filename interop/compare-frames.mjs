#!/usr/bin/env node
// Sends the same scripted DDP frame sequences to two servers over raw WebSockets and compares
// what comes back, frame by frame, after normalising what may legitimately differ.
//
//   node compare-frames.mjs --a ws://127.0.0.1:3999/websocket --b ws://127.0.0.1:8080/websocket
//        [--only REGEX] [--skip REGEX] [--quiet MS] [--jobs N] [--verbose] [--list]
//
// Each case opens a fresh socket on both servers (concurrently), sends its steps one at a time
// and, after each step, collects frames until the socket has been quiet for --quiet ms (default
// 150; a case may ask for more). Normalisation:
//   * {"server_id":...} frames are dropped (Meteor < 2.3 greeting);
//   * a valid 17-char session id in `connected` becomes "<S>" (an invalid or reused one is kept,
//     so it shows up as a difference);
//   * {"$date":n} under a `tokenExpires` key becomes {"$date":"<date>"};
//   * within one step, an `updated` frame is moved right after the `result` frame(s) of the
//     method(s) it names (ddp-protocol.md 3.3: their relative order is not significant);
//   * keys are sorted (key order is not significant).
// A socket close is recorded as {"close":code}. Prints one line per case, `ok` or `DIFF` with both
// normalised frame lists, then exactly `N passed, M failed`; exits 1 if any case differs.
import WebSocket from 'ws';

const SESSION_RE = /^[23456789ABCDEFGHJKLMNPQRSTWXYZabcdefghijkmnopqrstuvwxyz]{17}$/;

// ---------------------------------------------------------------------------
// Case table. A step is a frame (object -> JSON.stringify, string -> sent verbatim) or an
// array of frames sent back to back. `connect: false` means the case does its own handshake.
// ---------------------------------------------------------------------------
const CONNECT = { msg: 'connect', version: '1', support: ['1', 'pre2', 'pre1'] };
const m = (id, method, params, extra = {}) => ({ msg: 'method', id, method, ...(params === undefined ? {} : { params }), ...extra });
const raw = (id, method, paramsJson) => `{"msg":"method","id":"${id}","method":"${method}","params":${paramsJson}}`;

const CASES = [
  // --- handshake (2.2) -------------------------------------------------------------------
  { name: 'handshake: connect version 1', connect: false, steps: [CONNECT] },
  { name: 'handshake: connect with a session to resume (must be ignored)', connect: false,
    steps: [{ ...CONNECT, session: 'abcdefghijklmnopq' }] },
  { name: 'handshake: pre2 first in support', connect: false, steps: [{ msg: 'connect', version: 'pre2', support: ['pre2', '1'] }, { msg: 'ping', id: 'p' }] },
  { name: 'handshake: pre1 only (Meteor 1.9.3 accepts)', connect: false, steps: [{ msg: 'connect', version: 'pre1', support: ['pre1'] }, { msg: 'ping' }, { msg: 'ping', id: 'x' }, m('1', 'echo', [1])] },
  { name: 'handshake: pre2 only (Meteor 1.9.3 accepts)', connect: false, steps: [{ msg: 'connect', version: 'pre2', support: ['pre2'] }, { msg: 'ping', id: 'x' }] },
  { name: 'handshake: unsupported version', connect: false, steps: [{ msg: 'connect', version: '2', support: ['2'] }] },
  { name: 'handshake: version not in support', connect: false, steps: [{ msg: 'connect', version: '1', support: ['pre1'] }] },
  { name: 'handshake: non-string version', connect: false, steps: [{ msg: 'connect', version: 1, support: ['1'] }] },
  { name: 'handshake: support missing', connect: false, steps: [{ msg: 'connect', version: '1' }] },
  { name: 'handshake: support with non-string', connect: false, steps: [{ msg: 'connect', version: '1', support: [1] }] },
  { name: 'handshake: pre1 proposed while 1 supported', connect: false, steps: [{ msg: 'connect', version: 'pre1', support: ['1', 'pre1'] }] },
  { name: 'handshake: messages before connect', connect: false,
    steps: [{ msg: 'ping' }, m('1', 'setUserId', ['early']), { msg: 'sub', id: 's', name: 'items', params: [1] }, '{oops', CONNECT, m('2', 'whoami', [])] },
  { name: 'handshake: second connect', steps: [m('1', 'setUserId', ['keep']), CONNECT, m('2', 'whoami', [])] },

  // --- ping / pong (1.5) -------------------------------------------------------------------
  { name: 'ping with id', steps: [{ msg: 'ping', id: 'abc' }] },
  { name: 'ping without id', steps: [{ msg: 'ping' }] },
  // Meteor's stringifyDDP refuses a truthy id that is no string (no answer) and lets a falsy one through.
  { name: 'ping with a non-string id', steps: [{ msg: 'ping', id: 7 }, { msg: 'ping', id: { a: [1] } }, { msg: 'ping', id: [] },
    { msg: 'ping', id: null }, { msg: 'ping', id: false }, '{"msg":"ping","id":-0.0}', { msg: 'ping', id: '' }, { msg: 'ping', id: 'after' }] },
  { name: 'client pong is not answered', steps: [{ msg: 'pong' }, { msg: 'pong', id: 'z' }, { msg: 'ping', id: 'after' }] },

  // --- invalid input (1.6) -----------------------------------------------------------------
  ...['{oops', '42', '"x"', 'null', 'true', '[1,2]', '{"a":1}', '{"msg":""}', '{"msg":"zzz"}', '{"msg":"toString"}']
    .map((t) => ({ name: `bad input ${t}`, steps: [t, { msg: 'ping', id: 'alive' }] })),
  { name: 'unknown $type in method params', steps: [raw('1', 'echo', '[{"$type":"zzz","$value":1}]'), { msg: 'ping', id: 'alive' }] },
  { name: 'unknown $type nested in params', steps: [raw('1', 'echo', '[{"a":[{"$type":"nope","$value":{}}]}]')] },
  { name: 'unknown $type in sub params', steps: ['{"msg":"sub","id":"s","name":"items","params":[{"$type":"zzz","$value":1}]}'] },
  ...[
    ['numeric id', '{"msg":"method","id":1,"method":"echo","params":[]}'],
    ['missing id', '{"msg":"method","method":"echo","params":[]}'],
    ['numeric method', '{"msg":"method","id":"a","method":5}'],
    ['missing method', '{"msg":"method","id":"b"}'],
    ['params null', '{"msg":"method","id":"c","method":"echo","params":null}'],
    ['params object', '{"msg":"method","id":"d","method":"echo","params":{}}'],
    ['params string', '{"msg":"method","id":"e","method":"echo","params":"x"}'],
    ['params EJSON date', '{"msg":"method","id":"f","method":"echo","params":{"$date":5}}'],
    ['randomSeed number', '{"msg":"method","id":"g","method":"echo","params":[],"randomSeed":5}'],
    ['randomSeed null', '{"msg":"method","id":"h","method":"echo","params":[],"randomSeed":null}'],
  ].map(([n, t]) => ({ name: `malformed method: ${n}`, steps: [t, { msg: 'ping', id: 'alive' }] })),
  ...[
    ['numeric id', '{"msg":"sub","id":1,"name":"items","params":[1]}'],
    ['numeric name', '{"msg":"sub","id":"s","name":5}'],
    ['params object', '{"msg":"sub","id":"t","name":"items","params":{}}'],
  ].map(([n, t]) => ({ name: `malformed sub: ${n}`, steps: [t, { msg: 'ping', id: 'alive' }] })),

  // --- fixture methods (3) -------------------------------------------------------------------
  { name: 'echo several args', steps: [m('1', 'echo', [1, 'two', true, null, { three: [3] }, [], {}])] },
  { name: 'echo without params key', steps: [m('1', 'echo', undefined)] },
  { name: 'echo with randomSeed and an unknown key', steps: [m('1', 'echo', [1], { randomSeed: '0123456789abcdef0123', extra: 1 })] },
  { name: 'echoOne without args', steps: [m('1', 'echoOne', [])] },
  { name: 'echoOne(null)', steps: [m('1', 'echoOne', [null])] },
  { name: 'throwMeteorError', steps: [m('1', 'throwMeteorError', [])] },
  { name: 'throwInternal', steps: [m('1', 'throwInternal', [])] },
  { name: 'unknown method', steps: [m('1', 'nope', [])] },
  { name: 'duplicate method ids', steps: [m('d', 'echo', [1]), m('d', 'echo', [2])] },
  { name: 'slow(300) then echo, pipelined', quiet: 700, steps: [[m('1', 'slow', [300]), m('2', 'echo', ['fast'])]] },
  { name: 'setUserId / whoami', steps: [m('1', 'whoami', []), m('2', 'setUserId', ['u1']), m('3', 'whoami', []), m('4', 'setUserId', [null]), m('5', 'whoami', [])] },
  // No `login` cases: Meteor's fixture login is hand-written (fixed token, 403 "Login forbidden"
  // for everything), ours is real accounts, so their frames differ by design;
  // accounts.test.mjs asserts each server's exact answer.

  // --- EJSON in params / result (7) ------------------------------------------------------------
  ...[
    ['Date', '{"$date":1700000000123}'],
    ['binary', '{"$binary":"AQIDBP8="}'],
    ['empty binary', '{"$binary":""}'],
    ['NaN', '{"$InfNaN":0}'],
    ['Infinity', '{"$InfNaN":1}'],
    ['-Infinity', '{"$InfNaN":-1}'],
    ['escaped {$date:5}', '{"$escape":{"$date":5}}'],
    ['escaped {$type,$value}', '{"$escape":{"$type":"x","$value":1}}'],
    ['escape in escape', '{"$escape":{"$escape":{"$date":5}}}'],
    ['escape holding EJSON', '{"$escape":{"$date":{"$date":32491}}}'],
    ['plain $-keyed object', '{"$date":1,"other":2}'],
    ['regexp with flags to filter', '{"$regexp":"a+b","$flags":"gix"}'],
    ['nested', '{"a":[{"$date":5},{"b":{"$binary":"AA=="}},[{"$InfNaN":-1}]],"c":{"d":null}}'],
  ].map(([n, v]) => ({ name: `EJSON echo: ${n}`, steps: [raw('1', 'echo', `[${v}]`), raw('2', 'echoOne', `[${v}]`)] })),

  // --- a few publications (4) ----------------------------------------------------------------
  { name: 'pub: items(3) then unsub', steps: [{ msg: 'sub', id: 's1', name: 'items', params: [3] }, { msg: 'unsub', id: 's1' }] },
  { name: 'pub: failingPub', steps: [{ msg: 'sub', id: 'f', name: 'failingPub', params: [] }] },
  { name: 'pub: unknown publication', steps: [{ msg: 'sub', id: 'u', name: 'nope', params: [] }] },
  { name: 'pub: unsub unknown id', steps: [{ msg: 'unsub', id: 'never' }] },
  { name: 'pub: merge box overlapA + overlapB, unsub A then B', steps: [
    { msg: 'sub', id: 'a', name: 'overlapA', params: [] }, { msg: 'sub', id: 'b', name: 'overlapB', params: [] }, { msg: 'unsub', id: 'a' }, { msg: 'unsub', id: 'b' }] },
];

// ---------------------------------------------------------------------------
// Running one case against one server
// ---------------------------------------------------------------------------
function runCase(url, kase, quietDefault) {
  return new Promise((resolve) => {
    const quiet = kase.quiet || quietDefault;
    const steps = (kase.connect === false ? [] : [CONNECT]).concat(kase.steps);
    const perStep = steps.map(() => []);
    let stepIdx = -1;
    let timer = null;
    let finished = false;
    const ws = new WebSocket(url);
    const finish = (extra) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      if (extra) perStep[Math.max(0, stepIdx)].push(extra);
      try { ws.terminate(); } catch { /* gone */ }
      resolve(perStep);
    };
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(nextStep, quiet);
    };
    const nextStep = () => {
      stepIdx += 1;
      if (stepIdx >= steps.length) { finish(); return; }
      if (ws.readyState !== WebSocket.OPEN) { finish(); return; }
      const step = steps[stepIdx];
      for (const f of Array.isArray(step) ? step : [step]) ws.send(typeof f === 'string' ? f : JSON.stringify(f));
      arm();
    };
    ws.on('open', () => { arm(); }); // the quiet period before step 0 absorbs any greeting
    ws.on('message', (data) => {
      const text = data.toString('utf8');
      let parsed;
      try { parsed = JSON.parse(text); } catch { parsed = { notJson: text }; }
      perStep[Math.max(0, stepIdx)].push(parsed);
      if (stepIdx >= 0) arm();
    });
    ws.on('close', (code) => finish({ close: code }));
    ws.on('error', (e) => finish({ socketError: e.message }));
    setTimeout(() => finish({ caseTimeout: true }), 15000 + steps.length * quiet * 2);
  });
}

// ---------------------------------------------------------------------------
// Normalisation
// ---------------------------------------------------------------------------
function normaliseDates(v, underTokenExpires = false) {
  if (Array.isArray(v)) return v.map((x) => normaliseDates(x));
  if (v && typeof v === 'object') {
    if (underTokenExpires && Object.keys(v).length === 1 && typeof v.$date === 'number') return { $date: '<date>' };
    const out = {};
    for (const [k, x] of Object.entries(v)) out[k] = normaliseDates(x, k === 'tokenExpires');
    return out;
  }
  return v;
}

function normaliseFrame(f) {
  let g = f;
  if (g && g.msg === 'connected' && typeof g.session === 'string' && SESSION_RE.test(g.session)) g = { ...g, session: '<S>' };
  if (g && g.msg === 'result' && 'result' in g) g = { ...g, result: normaliseDates(g.result) };
  return g;
}

const isGreeting = (f) => f && typeof f === 'object' && !Array.isArray(f) && Object.keys(f).length === 1 && 'server_id' in f;

function reorderUpdated(frames) {
  const out = frames.filter((f) => !(f && f.msg === 'updated'));
  for (const u of frames.filter((f) => f && f.msg === 'updated')) {
    const ids = Array.isArray(u.methods) ? u.methods : [];
    let last = -1;
    for (const id of ids) {
      for (let i = out.length - 1; i >= 0; i--) if (out[i].msg === 'result' && out[i].id === id) { last = Math.max(last, i); break; }
    }
    if (last >= 0 && ids.every((id) => out.some((f) => f.msg === 'result' && f.id === id))) out.splice(last + 1, 0, u);
    else out.splice(frames.indexOf(u), 0, u); // result not in this step: keep its position
  }
  return out;
}

function canonical(v) {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`).join(',')}}`;
  return JSON.stringify(v);
}

function normalise(perStep) {
  return perStep.map((frames) => reorderUpdated(frames.filter((f) => !isGreeting(f)).map(normaliseFrame)).map(canonical));
}

// ---------------------------------------------------------------------------
// CLI
// ---------------------------------------------------------------------------
function parseArgs(argv) {
  const o = { quiet: 150, jobs: 4, verbose: false, list: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => { const [, v] = a.split(/=(.*)/s); return v !== undefined ? v : argv[++i]; };
    if (a === '--a' || a.startsWith('--a=')) o.a = val();
    else if (a === '--b' || a.startsWith('--b=')) o.b = val();
    else if (a === '--only' || a.startsWith('--only=')) o.only = new RegExp(val());
    else if (a === '--skip' || a.startsWith('--skip=')) o.skip = new RegExp(val());
    else if (a === '--quiet' || a.startsWith('--quiet=')) o.quiet = Number(val());
    else if (a === '--jobs' || a.startsWith('--jobs=')) o.jobs = Math.max(1, Number(val()) || 1);
    else if (a === '--verbose') o.verbose = true;
    else if (a === '--list') o.list = true;
    else { console.error(`unknown argument ${a}`); process.exit(2); }
  }
  return o;
}

const opts = parseArgs(process.argv.slice(2));
const cases = CASES.filter((c) => (!opts.only || opts.only.test(c.name)) && (!opts.skip || !opts.skip.test(c.name)));
if (opts.list) { for (const c of cases) console.log(c.name); process.exit(0); }
const LOOPBACK = /^ws:\/\/(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?\//;
if (!opts.a || !opts.b || !LOOPBACK.test(opts.a) || !LOOPBACK.test(opts.b)) {
  console.error('usage: node compare-frames.mjs --a ws://127.0.0.1:PORT/websocket --b ws://127.0.0.1:PORT/websocket [--only RE] [--skip RE] [--quiet MS] [--jobs N] [--verbose] [--list]');
  console.error('(both servers must be on loopback)');
  process.exit(2);
}

let passed = 0; let failed = 0;
// cases run --jobs at a time (each on its own sockets); results are printed in table order
const results = [];
for (let i = 0; i < cases.length; i += opts.jobs) {
  results.push(...await Promise.all(cases.slice(i, i + opts.jobs).map((kase) =>
    Promise.all([runCase(opts.a, kase, opts.quiet), runCase(opts.b, kase, opts.quiet)]))));
}
for (const [n, kase] of cases.entries()) {
  const [ra, rb] = results[n];
  const na = normalise(ra); const nb = normalise(rb);
  const same = JSON.stringify(na) === JSON.stringify(nb);
  if (same) {
    passed += 1;
    console.log(`ok   ${kase.name}`);
    if (opts.verbose) for (const [i, fs] of na.entries()) console.log(`       step ${i}: ${fs.join(' ')}`);
  } else {
    failed += 1;
    console.log(`DIFF ${kase.name}`);
    const steps = (kase.connect === false ? [] : [CONNECT]).concat(kase.steps);
    for (let i = 0; i < steps.length; i++) {
      const sa = na[i].join(' '); const sb = nb[i].join(' ');
      const sent = [].concat(steps[i]).map((f) => (typeof f === 'string' ? f : JSON.stringify(f))).join(' ');
      console.log(`     ${sa === sb ? ' ' : '*'} step ${i} >> ${sent}`);
      console.log(`         a: ${sa || '(nothing)'}`);
      console.log(`         b: ${sb || '(nothing)'}`);
    }
  }
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
