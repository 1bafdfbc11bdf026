// Page object for the studio: the header, the code panel and the graph canvas.
export class StudioPage {
  constructor(page, baseUrl) {
    this.page = page;
    this.baseUrl = baseUrl;
  }

  async goto(hash = '') {
    await this.page.goto(this.baseUrl + hash);
    await this.page.getByTestId('graph').locator('svg g.state').first().waitFor({ timeout: 20000 });
  }

  graph() {
    return this.page.getByTestId('graph');
  }

  stateNodes() {
    return this.graph().locator('svg g.state');
  }

  async stateNames() {
    return this.stateNodes().evaluateAll((els) => els.map((e) => e.getAttribute('data-state')));
  }

  code() {
    return this.page.getByTestId('code-editor');
  }

  diagnostics() {
    return this.page.getByTestId('diagnostics');
  }
}
