// Bundles the CodeMirror 6 editor (www/editor/editor.js) into www/gen/editor.js with esbuild.
// Run by `cargo xtask setup` after `npm ci`, and by trunk as a pre_build hook; it needs no network.
import { build } from 'esbuild';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
await build({
  entryPoints: [path.join(here, 'editor/editor.js')],
  bundle: true,
  minify: true,
  format: 'esm',
  target: 'es2020',
  outfile: path.join(here, 'gen/editor.js'),
  logLevel: 'warning',
});
console.log('www/gen/editor.js built');
