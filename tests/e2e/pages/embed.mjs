// Page objects for the embed: a documentation page with viewers, and one viewer (page or iframe).
import path from 'node:path';
import { SHOTS } from '../support/browser.mjs';

/** One embedded viewer (`[data-testid=asl-embed]`), in the page or in a frame. */
export class EmbedViewer {
  constructor(locator) {
    this.root = locator;
  }
  states() {
    return this.root.locator('svg g.state');
  }
  async stateNames() {
    return this.states().evaluateAll((gs) => gs.map((g) => g.getAttribute('data-state')));
  }
  async statusOf(name) {
    return this.states().evaluateAll(
      (gs, n) => (gs.find((g) => g.getAttribute('data-state') === n)?.getAttribute('class') || '').split(' ').find((c) => c.startsWith('status-')) || null,
      name,
    );
  }
  async run() {
    await this.root.getByTestId('asl-embed-run').click();
    await this.root.getByTestId('asl-embed-status').filter({ hasText: /\S/ }).waitFor();
  }
  async status() {
    return (await this.root.getByTestId('asl-embed-status').textContent()).trim();
  }
  async output() {
    return this.root.getByTestId('asl-embed-output').textContent();
  }
  async showEvents() {
    await this.root.getByTestId('asl-embed-events-toggle').click();
    await this.root.getByTestId('asl-embed-events').waitFor();
  }
  async eventTypes() {
    return this.root.getByTestId('asl-embed-events').locator('li').evaluateAll((lis) => lis.map((li) => li.dataset.type));
  }
  async screenshot(name) {
    await this.root.scrollIntoViewIfNeeded();
    await this.root.screenshot({ path: path.join(SHOTS, `${name}.png`) });
  }
}

/** A page that includes asl-embed.js. */
export class EmbedDocPage {
  constructor(page, url) {
    this.page = page;
    this.url = url;
  }
  async goto(count) {
    await this.page.goto(this.url);
    await this.page.waitForFunction(
      (n) => document.querySelectorAll('[data-testid="asl-embed"] svg g.state').length > 0
        && document.querySelectorAll('[data-testid="asl-embed"]').length >= n,
      count,
    );
  }
  viewers() {
    return this.page.getByTestId('asl-embed');
  }
  viewer(i) {
    return new EmbedViewer(this.viewers().nth(i));
  }
  /** The viewer inside an iframe (the iframe viewer page). */
  frameViewer(frameSelector) {
    return new EmbedViewer(this.page.frameLocator(frameSelector).getByTestId('asl-embed'));
  }
}
