// Page object for reading the canvas drawing's geometry from the DOM (the SVG contract: every
// `g.state`'s first `rect` is its box in SVG coordinates, edges are `g.edge` paths, labels are
// `g.edge-label` groups). Used by the graph e2e tests to assert a readable drawing.
export class GraphGeometry {
  constructor(page) {
    this.page = page;
    this.svg = page.getByTestId('graph').locator('svg').first();
  }

  /** Boxes, edges, labels and text extents in SVG coordinates. */
  async read() {
    return this.svg.evaluate((svg) => {
      const box = (rect) => ({
        x: +rect.getAttribute('x'),
        y: +rect.getAttribute('y'),
        w: +rect.getAttribute('width'),
        h: +rect.getAttribute('height'),
      });
      const nodes = [];
      for (const g of svg.querySelectorAll('g.state, g.terminal, g.missing')) {
        const rect = g.querySelector('rect');
        if (!rect) continue;
        const name = g.getAttribute('data-state') ?? `__${g.getAttribute('data-terminal') ?? 'missing'}`;
        const texts = [...g.querySelectorAll(':scope > text')].map((t) => {
          const b = t.getBBox();
          return { text: t.textContent, x: b.x, y: b.y, w: b.width, h: b.height };
        });
        nodes.push({
          name,
          cluster: g.classList.contains('cluster'),
          terminal: g.classList.contains('terminal'),
          ...box(rect),
          texts,
        });
      }
      const parse = (d) => {
        const nums = (d.match(/-?\d+(\.\d+)?/g) || []).map(Number);
        const pts = [];
        for (let i = 0; i + 1 < nums.length; i += 2) pts.push({ x: nums[i], y: nums[i + 1] });
        return pts;
      };
      const edges = [...svg.querySelectorAll('g.edge')].map((g) => ({
        from: g.getAttribute('data-from'),
        to: g.getAttribute('data-to'),
        kind: g.getAttribute('data-kind'),
        points: parse(g.querySelector('path.line').getAttribute('d')),
      }));
      const labels = [...svg.querySelectorAll('g.edge-label')].map((g) => {
        const b = g.getBBox();
        const r = box(g.querySelector('rect'));
        const t = g.querySelector('text').getBBox();
        return {
          from: g.getAttribute('data-from'),
          to: g.getAttribute('data-to'),
          x: b.x, y: b.y, w: b.width, h: b.height,
          rect: r,
          text: { x: t.x, y: t.y, w: t.width, h: t.height },
        };
      });
      return { nodes, edges, labels };
    });
  }
}

const EPS = 0.5;

function overlaps(a, b) {
  return a.x + EPS < b.x + b.w && b.x + EPS < a.x + a.w && a.y + EPS < b.y + b.h && b.y + EPS < a.y + a.h;
}

function inside(inner, outer) {
  return inner.x >= outer.x - EPS && inner.y >= outer.y - EPS
    && inner.x + inner.w <= outer.x + outer.w + EPS && inner.y + inner.h <= outer.y + outer.h + EPS;
}

/** True when segment p–q passes through the interior of r (shrunk by a pixel). */
function segmentHits(p, q, r) {
  const x0 = r.x + 1, y0 = r.y + 1, x1 = r.x + r.w - 1, y1 = r.y + r.h - 1;
  if (x1 <= x0 || y1 <= y0) return false;
  const dx = q.x - p.x, dy = q.y - p.y;
  let t0 = 0, t1 = 1;
  for (const [pk, qk] of [[-dx, p.x - x0], [dx, x1 - p.x], [-dy, p.y - y0], [dy, y1 - p.y]]) {
    if (Math.abs(pk) < 1e-12) {
      if (qk < 0) return false;
    } else {
      const t = qk / pk;
      if (pk < 0) t0 = Math.max(t0, t); else t1 = Math.min(t1, t);
    }
  }
  return t1 - t0 > 1e-6;
}

function pointToSegment(p, a, b) {
  const dx = b.x - a.x, dy = b.y - a.y;
  const len2 = dx * dx + dy * dy;
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((p.x - a.x) * dx + (p.y - a.y) * dy) / len2));
  return Math.hypot(p.x - (a.x + t * dx), p.y - (a.y + t * dy));
}

function segmentsCross(a, b, c, d) {
  const orient = (p, q, r) => Math.sign((q.x - p.x) * (r.y - p.y) - (q.y - p.y) * (r.x - p.x));
  return orient(a, b, c) * orient(a, b, d) < 0 && orient(c, d, a) * orient(c, d, b) < 0;
}

/** The smallest distance between two polylines. */
export function polylineDistance(p, q) {
  let best = Infinity;
  for (let i = 0; i + 1 < p.length; i++) {
    for (let j = 0; j + 1 < q.length; j++) {
      const [a, b, c, d] = [p[i], p[i + 1], q[j], q[j + 1]];
      if (segmentsCross(a, b, c, d)) return 0;
      best = Math.min(best, pointToSegment(a, c, d), pointToSegment(b, c, d), pointToSegment(c, a, b), pointToSegment(d, a, b));
    }
  }
  return best;
}

/** How far apart the two lines of a two-state loop (`A -> B` and `B -> A`) must stay. */
const LOOP_GAP = 12;

/**
 * The problems a reader would see: overlapping boxes, an edge through a box that is not one of its
 * ends (or a box around them), labels over labels or boxes, text spilling out of its box, and the
 * two lines of a two-state loop drawn on top of each other or one over the other's label.
 */
export function geometryProblems({ nodes, edges, labels }) {
  const problems = [];
  const byName = new Map(nodes.map((n) => [n.name, n]));
  for (let i = 0; i < nodes.length; i++) {
    for (let j = i + 1; j < nodes.length; j++) {
      const a = nodes[i], b = nodes[j];
      if (inside(a, b) || inside(b, a)) continue; // a box inside a Parallel or Map box
      if (overlaps(a, b)) problems.push(`box "${a.name}" overlaps box "${b.name}"`);
    }
    const n = nodes[i];
    for (const t of n.texts) {
      if (t.x < n.x - EPS || t.x + t.w > n.x + n.w + EPS) {
        problems.push(`text "${t.text}" (${t.x.toFixed(1)}..${(t.x + t.w).toFixed(1)}) spills out of "${n.name}" (${n.x}..${n.x + n.w})`);
      }
    }
  }
  const end = (ref) => byName.get(ref);
  for (const e of edges) {
    const ends = [end(e.from), end(e.to)].filter(Boolean);
    for (const n of nodes) {
      if (ends.includes(n) || ends.some((x) => inside(x, n))) continue;
      // A line into a branch's end runs inside the Parallel/Map box around its start.
      for (let k = 0; k + 1 < e.points.length; k++) {
        if (segmentHits(e.points[k], e.points[k + 1], n)) {
          problems.push(`edge ${e.from} -> ${e.to} crosses "${n.name}"`);
          break;
        }
      }
    }
  }
  for (const e of edges) {
    for (const f of edges) {
      if (e === f || e.from !== f.to || e.to !== f.from || e.from === e.to) continue;
      if (e.from < f.from) {
        const gap = polylineDistance(e.points, f.points);
        if (gap < LOOP_GAP) problems.push(`edges ${e.from} -> ${e.to} and back run ${gap.toFixed(1)}px apart`);
      }
      for (const l of labels.filter((x) => x.from === f.from && x.to === f.to)) {
        for (let k = 0; k + 1 < e.points.length; k++) {
          if (segmentHits(e.points[k], e.points[k + 1], l.rect)) {
            problems.push(`edge ${e.from} -> ${e.to} runs through the label of ${f.from} -> ${f.to}`);
            break;
          }
        }
      }
    }
  }
  for (let i = 0; i < labels.length; i++) {
    const l = labels[i];
    if (!inside(l.text, l.rect)) problems.push(`label text of ${l.from} -> ${l.to} spills out of its box`);
    for (let j = i + 1; j < labels.length; j++) {
      if (overlaps(l, labels[j])) {
        problems.push(`label of ${l.from} -> ${l.to} overlaps label of ${labels[j].from} -> ${labels[j].to}`);
      }
    }
    for (const n of nodes) {
      if (!n.cluster && overlaps(l, n)) problems.push(`label of ${l.from} -> ${l.to} overlaps box "${n.name}"`);
    }
  }
  return problems;
}
