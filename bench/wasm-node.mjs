// Runs a benchmark plan with the wasm build in Node: node wasm-node.mjs PKG_DIR PLAN.json [SECTIONS]
// PKG_DIR holds the `wasm-bindgen --target nodejs` output of asl-wasm. Prints the results as JSON.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const [pkgDir, planFile, only = ''] = process.argv.slice(2);
const require = createRequire(import.meta.url);
const wasm = require(path.resolve(pkgDir, 'asl_wasm.js'));
const plan = fs.readFileSync(planFile, 'utf8');
const cpuMs = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
const out = JSON.parse(wasm.bench_plan(plan, only, cpuMs));
out.env = { node: process.version };
process.stdout.write(JSON.stringify(out) + '\n');
