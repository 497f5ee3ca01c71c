// Bundles the page into a folder of static resources (the sample app's target/classes/static):
// index.html, assets/app.js (the page with ddp.js and sockjs-client), assets/app.css and
// assets/sockjs.min.js (sockjs-client's own browser build, for the SockJS iframe page).
// Everything the browser loads comes from the application: no CDN, nothing fetched at run time.
//   node build.mjs <output folder>
import { copyFile, mkdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
if (process.argv.length !== 3) {
  console.error('usage: node build.mjs <output folder>');
  process.exit(2);
}
const out = resolve(process.argv[2]);
await mkdir(join(out, 'assets'), { recursive: true });
await build({
  entryPoints: [join(here, 'src/main.js')],
  outfile: join(out, 'assets/app.js'),
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: ['es2022'],
  minify: true,
  sourcemap: true,
  legalComments: 'linked',
  // sockjs-client and its dependencies were written for browserify, which provides these
  define: { global: 'globalThis', 'process.env.NODE_ENV': '"production"' },
  logLevel: 'warning',
});
await copyFile(join(here, 'src/index.html'), join(out, 'index.html'));
await copyFile(join(here, 'src/app.css'), join(out, 'assets/app.css'));
// For Spring's SockJS iframe page (ddp.server.sockjs.client-library-url): the browser build of the
// same sockjs-client the page bundles, since the iframe refuses a parent of another version.
for (const file of ['sockjs.min.js', 'sockjs.min.js.map']) {
  await copyFile(join(here, 'node_modules/sockjs-client/dist', file), join(out, 'assets', file));
}
console.log(`[web] page bundled into ${out}`);
