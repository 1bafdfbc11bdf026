// Times the jsonata npm package on the benchmark expressions: node jsonata-js.mjs CASES.json
// CASES.json is a list of {name, expr, input, iters, min_batch_ms, runs, warmup}. Each expression is
// compiled once; a sample is a batch of awaited evaluations (at least `iters`, doubled until the batch
// lasts `min_batch_ms`) with only $states bound (to {input}), like the Rust side
// and like the interpreter.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import jsonata from 'jsonata';

const require = createRequire(import.meta.url);
const version = require('jsonata/package.json').version;
const cases = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const stats = (xs) => { const s = [...xs].sort((a, b) => a - b); return { samples: s, median: median(s), min: s[0], max: s[s.length - 1] }; };
const cpuMs = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
const results = [];
for (const c of cases) {
  try {
    const e = jsonata(c.expr);
    const bindings = { states: { input: c.input } };
    const result = await e.evaluate(undefined, bindings);
    const once = async () => { await e.evaluate(undefined, { states: { input: c.input } }); };
    // Like the Rust harness: a batch of at least `iters` evaluations, doubled until it lasts
    // `min_batch_ms`.
    let iters = c.iters;
    for (;;) {
      const t0 = performance.now();
      for (let k = 0; k < iters; k++) await once();
      if (performance.now() - t0 >= (c.min_batch_ms || 0) || iters >= 1 << 22) break;
      iters *= 2;
    }
    for (let i = 0; i < c.warmup; i++) for (let k = 0; k < iters; k++) await once();
    const us = [];
    const cpu = [];
    for (let r = 0; r < c.runs; r++) {
      const c0 = cpuMs();
      const t0 = performance.now();
      for (let k = 0; k < iters; k++) await once();
      us.push(((performance.now() - t0) * 1000) / iters);
      cpu.push(((cpuMs() - c0) * 1000) / iters);
    }
    results.push({ name: c.name, ok: true, iters, result: result === undefined ? null : JSON.parse(JSON.stringify(result)), time_us: stats(us), time_us_cpu: stats(cpu) });
  } catch (err) {
    results.push({ name: c.name, error: String(err.message || err) });
  }
}
process.stdout.write(JSON.stringify({ version, node: process.version, results }) + '\n');
