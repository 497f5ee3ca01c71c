// npm simpleddp doing what io.ddp.bench.ClientBench does: connections x calls in flight of
// echo(42, "hello", {a: true}), closed loop, against a DDP server on loopback. Prints one RESULT
// line per scenario (calls/s, p50/p99 in microseconds from call to resolved promise, client CPU per
// call from process.cpuUsage(), server CPU per call from /proc/<pid>/task/*/schedstat).
//   node client/simpleddp-bench.mjs --url ws://127.0.0.1:18090/websocket --server-pid 1234 \
//        --scenarios 1x1,1x100,8x100 --warmup 3 --measure 5
// Module resolution: run with NODE_PATH or from a directory whose node_modules has simpleddp and ws
// (run-client.sh points it at interop/node_modules).
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';

const args = Object.fromEntries(process.argv.slice(2).reduce((acc, v, i, a) => {
  if (v.startsWith('--')) acc.push([v.slice(2), a[i + 1]]);
  return acc;
}, []));
const url = args.url ?? 'ws://127.0.0.1:18090/websocket';
if (!/^ws:\/\/(127\.0\.0\.1|localhost)[:/]/.test(url)) throw new Error(`loopback only: ${url}`);
const serverPid = Number(args['server-pid'] ?? 0);
const warmup = Number(args.warmup ?? 3);
const measure = Number(args.measure ?? 5);
const modules = args.modules ?? path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../interop');
const require = createRequire(path.join(modules, 'package.json'));
const simpleDDPModule = require('simpleddp');
const simpleDDP = simpleDDPModule.default ?? simpleDDPModule;
const WebSocket = require('ws');

const ARGS = [42, 'hello', { a: true }];
const expected = JSON.stringify(ARGS);

function serverNanos() {
  if (!serverPid) return -1;
  let sum = 0;
  for (const tid of fs.readdirSync(`/proc/${serverPid}/task`)) {
    try { sum += Number(fs.readFileSync(`/proc/${serverPid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]); } catch { /* gone */ }
  }
  return sum;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function scenario(connections, inflight) {
  const servers = [];
  for (let i = 0; i < connections; i++) {
    const server = new simpleDDP({ endpoint: url, SocketConstructor: WebSocket, autoReconnect: false, maxTimeout: 30000 });
    await server.connect();
    servers.push(server);
  }
  let running = true; let recording = false; let calls = 0; let errors = 0;
  const latencies = [];
  const loops = [];
  for (const server of servers) {
    for (let i = 0; i < inflight; i++) {
      loops.push((async () => {
        while (running) {
          const start = process.hrtime.bigint();
          try {
            const result = await server.call('echo', ...ARGS);
            const took = Number(process.hrtime.bigint() - start);
            if (JSON.stringify(result) !== expected) errors++;
            else if (recording) { calls++; if (latencies.length < 5_000_000) latencies.push(took); }
          } catch { errors++; }
        }
      })());
    }
  }
  await sleep(warmup * 1000);
  latencies.length = 0;
  const cpu0 = process.cpuUsage(); const s0 = serverNanos(); const t0 = process.hrtime.bigint();
  recording = true;
  await sleep(measure * 1000);
  recording = false;
  const t1 = process.hrtime.bigint(); const cpu1 = process.cpuUsage(cpu0); const s1 = serverNanos();
  const n = calls;
  running = false;
  await Promise.all(loops);
  latencies.sort((a, b) => a - b);
  const pct = (p) => (latencies.length ? latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))] / 1000 : 0);
  const seconds = Number(t1 - t0) / 1e9;
  const clientCpuUs = (cpu1.user + cpu1.system) / Math.max(1, n);
  const serverCpuUs = s0 >= 0 ? (s1 - s0) / 1000 / Math.max(1, n) : -1;
  console.log(`RESULT client=simpleddp scenario=${connections}x${inflight} calls=${n} rate=${(n / seconds).toFixed(0)} `
    + `p50us=${pct(0.5).toFixed(1)} p99us=${pct(0.99).toFixed(1)} clientCpuUsPerCall=${clientCpuUs.toFixed(2)} `
    + `serverCpuUsPerCall=${serverCpuUs.toFixed(2)} errors=${errors}`);
  for (const server of servers) {
    server.ddpConnection.autoReconnect = false;
    try { server.ddpConnection.socket.close(); } catch { /* gone */ }
  }
}

for (const s of (args.scenarios ?? '1x1,1x100,8x100').split(',')) {
  const [c, f] = s.trim().split('x').map(Number);
  await scenario(c, f);
}
process.exit(0);
