// The sample app's page (sample-app/src/main/web) in a real browser: Debian's chromium, headless,
// driven by playwright-core. The test starts the packaged sample app itself on a free loopback
// port, and restarts it to watch the pages reconnect.
//
//   DDP_SAMPLE_JAR=sample-app/target/sample-app-0.1.0-SNAPSHOT.jar node --test interop/browser/
//
// Screenshots of each step go to DDP_SCREENSHOTS (default: sample-app/target/browser-screenshots).
// Without /usr/bin/chromium the test fails, unless DDP_SKIP_BROWSER_TESTS=true.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, openSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { RawConn } from '../lib/common.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const CHROMIUM = '/usr/bin/chromium';
const SKIP = process.env.DDP_SKIP_BROWSER_TESTS === 'true';
const JAR = process.env.DDP_SAMPLE_JAR;
const SHOTS = resolve(process.env.DDP_SCREENSHOTS || join(HERE, '../../sample-app/target/browser-screenshots'));
const TIMEOUT = 20000;

/** Polls `probe` (sync or async) until it returns a truthy value; fails with `what` and the last value after `timeout`. */
async function eventually(probe, what, timeout = TIMEOUT) {
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      last = await probe();
      if (last) {
        return last;
      }
    }
    catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      assert.fail(`timeout after ${timeout} ms waiting for ${what} (last: ${last instanceof Error ? last.message : JSON.stringify(last)})`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    }).on('error', reject);
  });
}

/** The packaged sample app, conformance profile (users alice/secret), on one port across restarts. */
class SampleApp {
  constructor(jar, port, log) {
    this.jar = jar;
    this.port = port;
    this.log = log;
    this.process = null;
  }

  get base() {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(...args) {
    const out = openSync(this.log, 'a');
    // C1 only: starts faster, and the test does not measure speed
    this.process = spawn('java', ['-XX:TieredStopAtLevel=1', '-jar', this.jar, '--spring.profiles.active=conformance',
      `--server.port=${this.port}`, '--server.address=127.0.0.1', ...args], { stdio: ['ignore', out, out] });
    const started = this.process;
    // a test that dies must not leave the server behind
    process.once('exit', () => started.kill('SIGKILL'));
    await eventually(async () => {
      assert.equal(started.exitCode, null, `the sample app exited (${started.exitCode}); log: ${this.log}`);
      return (await fetch(`${this.base}/sockjs/info`)).ok;
    }, `the sample app on ${this.base} (log: ${this.log})`, 240000);
  }

  async stop() {
    const running = this.process;
    this.process = null;
    if (!running || running.exitCode !== null) {
      return;
    }
    const exited = new Promise((r) => running.once('exit', r));
    running.kill('SIGTERM');
    const killer = setTimeout(() => running.kill('SIGKILL'), 30000);
    await exited;
    clearTimeout(killer);
  }
}

/** What the server publishes: the todos a fresh raw DDP subscription receives before `ready`. */
async function serverTodos(app, name = 'todos', params = []) {
  const conn = await RawConn.connected(`ws://127.0.0.1:${app.port}/websocket`);
  try {
    conn.send({ msg: 'sub', id: 'all', name, params });
    const docs = new Map();
    for (;;) {
      const m = await conn.next(5000, 'the todos before ready');
      if (m.msg === 'added' && m.collection === 'todos') {
        docs.set(m.id, m.fields);
      }
      else if (m.msg === 'ready') {
        return docs;
      }
    }
  }
  finally {
    conn.ws.close();
  }
}

const statusOf = (page) => page.textContent('#status-text');

const todosOf = (page) => page.$$eval('#todo-list li', (items) => items.map((li) => ({
  id: li.dataset.id,
  text: li.querySelector('.text').textContent,
  done: li.dataset.done === 'true',
  pending: li.dataset.pending === 'true',
})));

/** The latest-n view, top to bottom. */
const latestOf = (page) => page.$$eval('#latest-list li', (items) => items.map((li) => ({
  id: li.dataset.id,
  text: li.querySelector('.text').textContent,
})));

const latestTextsOf = async (page) => (await latestOf(page)).map((todo) => todo.text);

const errorsOf = (page) => page.$$eval('#errors li', (items) => items.map((li) => li.textContent));

const item = (page, text) => page.locator('#todo-list li', { hasText: text });

async function shot(page, name) {
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

async function connected(page, transport) {
  await eventually(async () => (await statusOf(page)) === `connected (${transport})`, `"connected (${transport})"`);
}

async function add(page, text) {
  await page.fill('#new-text', text);
  await page.click('#add-form button[type="submit"]');
}

/** Adds an item and waits until the server has it. */
async function addStored(page, text) {
  await add(page, text);
  await eventually(async () => (await todosOf(page)).some((todo) => todo.text === text && !todo.pending), `"${text}" stored`);
}

async function setLatestN(page, n) {
  await page.fill('#latest-n', String(n));
  await page.press('#latest-n', 'Enter');
}

/** Waits until the page's latest view shows exactly `texts`, in this order. */
async function latestShows(page, texts, what) {
  await eventually(async () => JSON.stringify(await latestTextsOf(page)) === JSON.stringify(texts),
    `${what}: the latest view showing ${JSON.stringify(texts)}`);
}

const SAMPLE_WEB = join(HERE, '../../sample-app/src/main/web');

describe('the sample app page in Chromium', { skip: SKIP && 'DDP_SKIP_BROWSER_TESTS=true' }, () => {
  let app;
  let browser;
  let profile;
  let one;
  let two;

  before(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(`${CHROMIUM} is missing: install it with 'apt-get install chromium' `
        + '(Debian), or skip the browser test with DDP_SKIP_BROWSER_TESTS=true');
    }
    assert.ok(JAR && existsSync(JAR), `DDP_SAMPLE_JAR must name the packaged sample app, got '${JAR}'`);
    await mkdir(SHOTS, { recursive: true });
    app = new SampleApp(resolve(JAR), await freePort(), join(SHOTS, 'sample-app.log'));
    await app.start();
    profile = await mkdtemp(join(tmpdir(), 'ddp-chromium-'));
    browser = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      viewport: { width: 900, height: 900 },
    });
  });

  after(async () => {
    await browser?.close();
    await app?.stop();
    if (profile) {
      await rm(profile, { recursive: true, force: true });
    }
  });

  for (const [transport, label] of [['websocket', 'WebSocket'], ['sockjs', 'SockJS']]) {
    describe(`over ${label}`, () => {
      test('two pages connect and show the same list', async () => {
        await one?.close();
        await two?.close();
        one = await browser.newPage();
        two = await browser.newPage();
        for (const page of [one, two]) {
          page.on('pageerror', (error) => console.error(`[page] ${error.message}`));
          await page.goto(`${app.base}/?transport=${transport}`);
          await connected(page, label);
        }
        assert.equal(await one.isChecked(`input[name="transport"][value="${transport}"]`), true);
        assert.deepStrictEqual(await todosOf(two), await todosOf(one));
        await shot(one, `${transport}-1-connected`);
      });

      test('one page adds an item under the id the server stores, the other shows it', async () => {
        const text = `Buy milk over ${label}`;
        await add(one, text);
        // shown at once (before or after the server's answer) under the id derived from the randomSeed
        const shown = await eventually(async () => (await todosOf(one)).find((todo) => todo.text === text), 'the new item on page one');
        assert.match(shown.id, /^[23456789ABCDEFGHJKLMNPQRSTWXYZabcdefghijkmnopqrstuvwxyz]{17}$/);
        await eventually(async () => (await todosOf(two)).some((todo) => todo.id === shown.id && todo.text === text), 'the new item on page two');
        await eventually(async () => (await todosOf(one)).some((todo) => todo.id === shown.id && !todo.pending), 'the item confirmed on page one');
        const stored = await serverTodos(app);
        assert.equal(stored.get(shown.id)?.text, text, `the server stores the item under the page's id ${shown.id}: ${JSON.stringify([...stored])}`);
        assert.equal((await todosOf(one)).filter((todo) => todo.text === text).length, 1, 'one item, not a local and a server copy');
        await shot(one, `${transport}-2-added-page-one`);
        await shot(two, `${transport}-2-added-page-two`);
      });

      test('the other page toggles and removes, the first follows', async () => {
        const text = `Buy milk over ${label}`;
        await item(two, text).locator('input[type="checkbox"]').check();
        await eventually(async () => (await todosOf(one)).find((todo) => todo.text === text)?.done, 'the item done on page one');
        await shot(one, `${transport}-3-toggled-page-one`);
        await item(two, text).getByRole('button', { name: `Remove "${text}"` }).click();
        await eventually(async () => !(await todosOf(one)).some((todo) => todo.text === text), 'the item gone on page one');
        await eventually(async () => !(await todosOf(two)).some((todo) => todo.text === text), 'the item gone on page two');
        assert.equal([...(await serverTodos(app)).values()].some((doc) => doc.text === text), false);
        await shot(one, `${transport}-4-removed-page-one`);
      });

      test('the latest view holds the server\'s newest n in order: the oldest drops out, a removal brings it back', async () => {
        const n = 3;
        assert.equal(await two.inputValue('#latest-n'), String(n));
        const texts = Array.from({ length: n + 1 }, (_, i) => `Latest ${i + 1} over ${label}`);
        // one after the other, each stored before the next: each is newer than the one before
        for (const text of texts.slice(0, n)) {
          await addStored(one, text);
        }
        await latestShows(two, texts.slice(0, n).reverse(), 'page two, n items');
        await shot(two, `${transport}-latest-1-full-page-two`);
        await addStored(one, texts[n]);
        const newest = texts.slice(1).reverse();
        await latestShows(two, newest, 'page two, the oldest pushed out');
        await latestShows(one, newest, 'page one');
        assert.equal(await two.textContent('#latest-count'), `The newest ${n} of at most ${n}.`);
        // the very documents of the server's window, not a local guess
        const served = await serverTodos(app, 'todos.latest', [n]);
        assert.deepStrictEqual(new Set((await latestOf(two)).map((todo) => todo.id)), new Set(served.keys()));
        await shot(two, `${transport}-latest-2-oldest-out-page-two`);

        // removing one in the window pulls the next older one back in
        await item(one, texts[2]).getByRole('button', { name: `Remove "${texts[2]}"` }).click();
        await latestShows(two, [texts[3], texts[1], texts[0]], 'page two, after a removal');
        await shot(two, `${transport}-latest-3-removed-page-two`);

        // a smaller n: a new subscription with the new window
        await setLatestN(two, 2);
        await latestShows(two, [texts[3], texts[1]], 'page two, n = 2');
        await latestShows(one, [texts[3], texts[1], texts[0]], 'page one keeps its own n');
        assert.equal(await two.getAttribute('#latest-list', 'aria-busy'), 'false');
        await shot(two, `${transport}-latest-4-n2-page-two`);
        // a number out of range is not sent: the page says so and keeps the window
        const errors = (await errorsOf(two)).length;
        await setLatestN(two, 0);
        await eventually(async () => (await errorsOf(two)).length > errors, 'the error for n = 0');
        assert.match((await errorsOf(two)).at(-1), /Latest: "0" is not a number from 1 to 20$/);
        assert.equal(await two.inputValue('#latest-n'), '2');
        await two.click('#clear-errors');
        await setLatestN(two, n);
        await latestShows(two, [texts[3], texts[1], texts[0]], 'page two, n = 3 again');

        for (const text of [texts[0], texts[1], texts[3]]) {
          await item(one, text).getByRole('button', { name: `Remove "${text}"` }).click();
        }
        await latestShows(two, [], 'page two, all removed');
      });

      test('a blank item is refused by the server, and the page says so', async () => {
        const before = (await errorsOf(one)).length;
        await add(one, '   ');
        const errors = await eventually(async () => {
          const now = await errorsOf(one);
          return now.length > before && now;
        }, 'an error on page one');
        assert.match(errors.at(-1), /Adding "" failed: Access denied \[403\]/);
        assert.equal((await todosOf(one)).some((todo) => todo.text === ''), false, 'the optimistic item is taken back');
        await shot(one, `${transport}-5-error`);
        await one.click('#clear-errors');
      });

      test('a subscription the server stops shows its nosub error on the page', async () => {
        await one.evaluate(() => window.todoPage.connection.subscribe('failingPub', []));
        await eventually(async () => (await errorsOf(one)).some((e) => e.endsWith("Subscription 'failingPub' stopped: Subscription failed [sub-failed]")),
          'the nosub error on page one');
        await shot(one, `${transport}-5-nosub`);
        await one.click('#clear-errors');
      });

      test('the server restarts: both pages count down, reconnect and show the same list', async () => {
        await add(one, `Before the restart (${label})`);
        await eventually(async () => (await todosOf(two)).some((todo) => todo.text.startsWith('Before the restart')), 'the item on page two');
        await app.stop();
        for (const page of [one, two]) {
          await eventually(async () => /^reconnecting in [1-3] s$/.test(await statusOf(page)), 'the countdown "reconnecting in N s"');
        }
        await shot(one, `${transport}-6-server-down`);
        await app.start();
        for (const page of [one, two]) {
          await connected(page, label);
        }
        // the restarted server keeps nothing (the collection lives in memory): both pages show its list
        await eventually(async () => (await todosOf(one)).length === 0 && (await todosOf(two)).length === 0, 'both lists emptied like the server\'s');
        await add(two, `After the restart (${label})`);
        const after = await eventually(async () => (await todosOf(one)).find((todo) => todo.text.startsWith('After the restart') && !todo.pending), 'the new item on page one');
        assert.deepStrictEqual(await todosOf(two), await todosOf(one));
        assert.deepStrictEqual([...(await serverTodos(app)).keys()], [after.id]);
        // the latest view's own connection is back as well
        await latestShows(one, [after.text], 'page one after the restart');
        await shot(one, `${transport}-7-reconnected-page-one`);
        await shot(two, `${transport}-7-reconnected-page-two`);
        await item(one, 'After the restart').getByRole('button').click();
        await eventually(async () => (await todosOf(two)).length === 0, 'page two empty again');
      });

      test('"Go offline" shows offline, "Reconnect now" connects at once', async () => {
        await one.click('#disconnect');
        await eventually(async () => (await statusOf(one)) === 'offline', '"offline"');
        await shot(one, `${transport}-8-offline`);
        await one.click('#reconnect');
        await connected(one, label);
      });

      test('log in shows the user, log out shows nobody', async () => {
        await one.fill('#username', 'alice');
        await one.fill('#password', 'wrong');
        await one.click('#login-form button[type="submit"]');
        await eventually(async () => (await errorsOf(one)).some((e) => /Login as alice failed: .*\[403\]/.test(e)), 'the failed login as an error');
        await one.fill('#password', 'secret');
        await one.click('#login-form button[type="submit"]');
        await eventually(async () => (await one.textContent('#user')) === 'Logged in as alice.', '"Logged in as alice."');
        assert.equal(await one.isVisible('#logout'), true);
        assert.equal(await one.isVisible('#login-form'), false);
        assert.equal(await two.textContent('#user'), 'Not logged in.', 'the other page has its own connection');
        await shot(one, `${transport}-9-logged-in`);
        await one.click('#logout');
        await eventually(async () => (await one.textContent('#user')) === 'Not logged in.', '"Not logged in."');
        assert.equal(await one.isVisible('#login-form'), true);
        assert.equal(await one.isVisible('#logout'), false);
        await shot(one, `${transport}-10-logged-out`);
        await one.click('#clear-errors');
      });

      test('a display name saved on one page shows on the other page of the same user', async () => {
        for (const page of [one, two]) {
          await page.fill('#username', 'alice');
          await page.fill('#password', 'secret');
          await page.click('#login-form button[type="submit"]');
          await eventually(async () => (await page.textContent('#user')) === 'Logged in as alice.', '"Logged in as alice."');
          assert.equal(await page.isVisible('#profile-form'), true);
        }
        const shown = `Logged in as alice (Alice over ${label}).`;
        await one.fill('#display-name', `Alice over ${label}`);
        await one.click('#profile-form button[type="submit"]');
        // the server changes the profile; the accounts publish it to both connections of alice
        await eventually(async () => (await two.textContent('#user')) === shown, `"${shown}" on page two`);
        await eventually(async () => (await one.textContent('#user')) === shown, `"${shown}" on page one`);
        await shot(two, `${transport}-11-display-name-on-page-two`);
        await one.click('#profile-form button[type="submit"]'); // an empty name clears the profile
        await eventually(async () => (await two.textContent('#user')) === 'Logged in as alice.', 'the name cleared on page two');
        for (const page of [one, two]) {
          await page.click('#logout');
          await eventually(async () => (await page.textContent('#user')) === 'Not logged in.', '"Not logged in."');
          assert.equal(await page.isVisible('#profile-form'), false);
        }
        for (const page of [one, two]) {
          assert.equal((await errorsOf(page)).filter((e) => /Saving the name failed/.test(e)).length, 0);
        }
      });
    });
  }

  test('the transport switch moves a page from WebSocket to SockJS and keeps its list', async () => {
    await one.close();
    one = await browser.newPage();
    await one.goto(`${app.base}/`);
    await connected(one, 'WebSocket');
    await add(one, 'Switching transports');
    await eventually(async () => (await todosOf(one)).some((todo) => todo.text === 'Switching transports' && !todo.pending), 'the item');
    await one.check('input[name="transport"][value="sockjs"]');
    await connected(one, 'SockJS');
    assert.match(one.url(), /\?transport=sockjs$/);
    await eventually(async () => (await todosOf(one)).some((todo) => todo.text === 'Switching transports'), 'the item over SockJS');
    await shot(one, 'switch-to-sockjs');
  });

  // Last: restarts the app with same-origin only, the one setting under which Spring serves SockJS's iframe page
  test('the SockJS iframe transport loads sockjs-client from the app, nothing from the internet', async () => {
    await one?.close();
    await two?.close();
    await app.stop();
    await app.start('--ddp.server.allowed-origin-patterns=');
    const iframe = await fetch(`${app.base}/sockjs/iframe.html`);
    assert.equal(iframe.status, 200);
    const src = (await iframe.text()).match(/<script src="([^"]*)"><\/script>/)?.[1];
    assert.equal(src, '/assets/sockjs.min.js', 'ddp.server.sockjs.client-library-url of the sample app');
    const library = await fetch(new URL(src, iframe.url));
    assert.equal(library.status, 200);
    assert.match(library.headers.get('content-type'), /javascript/);
    // the version the page bundles: the iframe refuses a parent of another version
    const { dependencies } = JSON.parse(await readFile(join(SAMPLE_WEB, 'package.json'), 'utf8'));
    assert.ok((await library.text()).startsWith(`/* sockjs-client v${dependencies['sockjs-client']} `));

    const requests = [];
    const record = (request) => requests.push(request.url());
    browser.on('request', record);
    try {
      one = await browser.newPage();
      await one.goto(`${app.base}/`);
      await connected(one, 'WebSocket');
      // DDP over an iframe-based transport: the page's SockJS talks to the one the iframe loads
      await one.addScriptTag({ url: src });
      const reply = await one.evaluate((url) => new Promise((resolve, reject) => {
        const socket = new window.SockJS(url, null, { transports: ['iframe-eventsource', 'iframe-xhr-polling'] });
        const timer = setTimeout(() => reject(new Error('no DDP answer over the iframe transport')), 15000);
        socket.onopen = () => socket.send(JSON.stringify({ msg: 'connect', version: '1', support: ['1'] }));
        socket.onmessage = (event) => {
          const message = JSON.parse(event.data);
          if (message.msg === 'connected') {
            clearTimeout(timer);
            resolve({ transport: socket.transport, msg: message.msg });
            socket.close();
          }
        };
        socket.onclose = (event) => reject(new Error(`closed: ${event.code} ${event.reason}`));
      }), `${app.base}/sockjs`);
      assert.match(reply.transport, /^iframe-/);
      await shot(one, 'sockjs-iframe-transport');
    }
    finally {
      browser.off('request', record);
    }
    assert.ok(requests.some((url) => url.startsWith(`${app.base}/sockjs/iframe`)), `the iframe page was loaded: ${requests}`);
    const elsewhere = requests.filter((url) => !url.startsWith(`${app.base}/`) && !url.startsWith('data:'));
    assert.deepStrictEqual(elsewhere, [], 'every request goes to the app');
  });
});
