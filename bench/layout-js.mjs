// Lays out the benchmark graphs with dagre-js and elkjs, with the options of the shared
// harness (shared/bench/layout/bench_js_peers.mjs), and counts crossings with the shared counter.
//   node layout-js.mjs CROSSINGS_MJS GRAPH_DIR RUNS_SMALL RUNS_BIG [DAGRE_SYNTH1000_RUNS, 0 = skip]
//   node layout-js.mjs CROSSINGS_MJS --count GRAPH.json CENTRES.json   (prints one number)
import fs from 'node:fs';
import { pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';

const args = process.argv.slice(2);
const { countCrossings } = await import(pathToFileURL(args[0]).href);
const read = (f) => JSON.parse(fs.readFileSync(f, 'utf8'));
if (args[1] === '--count') {
  console.log(countCrossings(read(args[2]), read(args[3])));
  process.exit(0);
}
const require = createRequire(import.meta.url);
const dagre = (await import('@dagrejs/dagre')).default;
const ELK = (await import('elkjs/lib/elk.bundled.js')).default;
const [dir, runsSmall, runsBig] = [args[1], Number(args[2]), Number(args[3])];
// dagre-js takes tens of seconds per synth1000 layout: its own run count, 0 to skip it.
const dagreBig = Number(args[4] ?? runsBig);
const median = (a) => { const s = [...a].sort((x, y) => x - y); return s[Math.floor(s.length / 2)]; };

function dagreLayout(g) {
  const dg = new dagre.graphlib.Graph({ compound: false, multigraph: false });
  dg.setGraph({ rankdir: 'TB', nodesep: 40, ranksep: 50, edgesep: 10 });
  dg.setDefaultEdgeLabel(() => ({}));
  for (const n of g.nodes) dg.setNode(n.id, { width: n.w, height: n.h });
  for (const [a, b] of g.edges) dg.setEdge(a, b);
  dagre.layout(dg);
  const pos = {};
  for (const n of g.nodes) { const d = dg.node(n.id); pos[n.id] = [d.x, d.y]; }
  return pos;
}
const elk = new ELK();
async function elkLayout(g) {
  const opts = { 'elk.algorithm': 'layered', 'elk.direction': 'DOWN', 'elk.spacing.nodeNode': '40', 'elk.layered.spacing.nodeNodeBetweenLayers': '50' };
  const root = { id: 'root', layoutOptions: opts, children: g.nodes.map((n) => ({ id: n.id, width: n.w, height: n.h })), edges: [] };
  g.edges.forEach(([a, b], i) => root.edges.push({ id: 'e' + i, sources: [a], targets: [b] }));
  const out = await elk.layout(root);
  const pos = {};
  for (const c of out.children) pos[c.id] = [c.x + c.width / 2, c.y + c.height / 2];
  return pos;
}
const cpuMs = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
const results = [];
async function bench(tool, gname, fn, runs) {
  const g = read(`${dir}/${gname}.json`);
  const t0 = performance.now();
  let pos = await fn(g);
  const cold = performance.now() - t0;
  const ts = [];
  const cpu = [];
  for (let i = 0; i < runs; i++) {
    const c = cpuMs();
    const t = performance.now();
    pos = await fn(g);
    ts.push(performance.now() - t);
    cpu.push(cpuMs() - c);
  }
  const s = [...ts].sort((a, b) => a - b);
  results.push({ tool, graph: gname, runs, cold_ms: cold, median_ms: median(ts), min_ms: s[0], max_ms: s[s.length - 1], cpu_ms: median(cpu), crossings: countCrossings(g, pos) });
}
await bench('dagre-js', 'asl60', dagreLayout, runsSmall);
await bench('elkjs', 'asl60', elkLayout, runsSmall);
if (dagreBig > 0) await bench('dagre-js', 'synth1000', dagreLayout, dagreBig);
await bench('elkjs', 'synth1000', elkLayout, runsBig);
const v = (p) => require(`${p}/package.json`).version;
process.stdout.write(JSON.stringify({ versions: { dagre: v('@dagrejs/dagre'), elkjs: v('elkjs') }, results }) + '\n');
