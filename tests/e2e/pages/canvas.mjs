// Page object for the canvas: states and edges by name, drag and drop from the palette and between edges.
export class CanvasPanel {
  constructor(page) {
    this.page = page;
    this.root = page.getByTestId('graph');
  }

  state(name) {
    return this.root.locator(`svg g.state[data-state="${name}"]`);
  }

  edge(from, to, kind) {
    const k = kind ? `[data-kind="${kind}"]` : '';
    return this.root.locator(`svg g.edge[data-from="${from}"][data-to="${to}"]${k}`).first();
  }

  /** Clicks a state's box near its top-left corner (for Parallel and Map, their title, not a child). */
  async selectState(name) {
    await this.state(name).locator('rect.box').first().click({ position: { x: 24, y: 10 } });
  }

  /** The viewport point halfway along an edge. */
  async edgePoint(from, to, kind) {
    const edge = this.edge(from, to, kind);
    await edge.waitFor();
    return edge.evaluate((g) => {
      const path = g.querySelector('path.line');
      const len = path.getTotalLength();
      const p = path.getPointAtLength(len / 2);
      const m = path.getScreenCTM();
      return { x: p.x * m.a + p.y * m.c + m.e, y: p.x * m.b + p.y * m.d + m.f };
    });
  }

  /** The viewport point near the top of a box (a Parallel branch or a Map), away from its children. */
  async boxPoint(locator) {
    const box = await locator.locator('rect.box').first().boundingBox();
    return { x: box.x + 12, y: box.y + box.height - 8 };
  }

  async dragTo(source, point) {
    const from = await source.boundingBox();
    await this.page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
    await this.page.mouse.down();
    await this.page.mouse.move(point.x - 20, point.y - 20, { steps: 5 });
    await this.page.mouse.move(point.x, point.y, { steps: 5 });
    await this.page.mouse.up();
  }

  /** Drags a palette item onto the edge from → to. */
  async dropOnEdge(paletteItem, from, to, kind) {
    await this.dragTo(paletteItem, await this.edgePoint(from, to, kind));
  }

  /** Drags a state of the canvas onto the edge from → to (moves it there). */
  async moveStateToEdge(name, from, to, kind) {
    const box = await this.state(name).locator('rect.box').first().boundingBox();
    const point = await this.edgePoint(from, to, kind);
    await this.page.mouse.move(box.x + 24, box.y + 10);
    await this.page.mouse.down();
    await this.page.mouse.move(point.x - 20, point.y - 20, { steps: 5 });
    await this.page.mouse.move(point.x, point.y, { steps: 5 });
    await this.page.mouse.up();
  }

  /** Drags a state's box by (dx, dy) screen pixels onto empty canvas (free positioning). */
  async dragStateBy(name, dx, dy) {
    const box = await this.state(name).locator('rect.box').first().boundingBox();
    const x = box.x + 24;
    const y = box.y + 10;
    await this.page.mouse.move(x, y);
    await this.page.mouse.down();
    await this.page.mouse.move(x + dx / 2, y + dy / 2, { steps: 5 });
    await this.page.mouse.move(x + dx, y + dy, { steps: 5 });
    await this.page.mouse.up();
  }

  /** A state's box in SVG coordinates (its first rect). */
  async stateRect(name) {
    return this.state(name).locator('rect.box').first().evaluate((r) => ({
      x: +r.getAttribute('x'), y: +r.getAttribute('y'), w: +r.getAttribute('width'), h: +r.getAttribute('height'),
    }));
  }

  branch(parallel, index) {
    return this.root.locator(`svg g.branch[data-pointer$="/States/${parallel}/Branches/${index}"]`);
  }
}
