// Page object for Run mode: input, test case, controls, callback card, step table, events and history.
export class RunPanel {
  constructor(page) {
    this.page = page;
    this.root = page.getByTestId('run-panel');
  }

  async open() {
    await this.page.getByTestId('mode-run').click();
    await this.root.waitFor();
  }

  async setInput(json) {
    await this.page.getByTestId('run-input').fill(JSON.stringify(json));
  }

  async testCase(name) {
    await this.page.getByTestId('run-test-case').selectOption(name);
  }

  async unmocked(policy) {
    await this.page.getByTestId('run-unmocked').selectOption(policy);
  }

  async run() {
    await this.page.getByTestId('run-start').click();
  }

  status() {
    return this.page.getByTestId('run-status');
  }

  async waitStatus(text) {
    await this.page.waitForFunction(
      (t) => document.querySelector('[data-testid="run-status"]')?.textContent === t,
      text,
      { timeout: 10000 },
    );
  }

  row(state) {
    return this.page.locator(`[data-testid="run-row"][data-state="${state}"]`);
  }

  async rowStatus(state) {
    return this.row(state).getAttribute('data-status');
  }

  output() {
    return this.page.getByTestId('run-output');
  }

  callbackCard() {
    return this.page.getByTestId('callback-card');
  }

  async sendSuccess(json) {
    await this.page.getByTestId('callback-output').fill(JSON.stringify(json));
    await this.page.getByTestId('callback-success').click();
  }

  async events() {
    await this.page.getByTestId('run-view-events').click();
    const types = await this.page.getByTestId('event').evaluateAll((els) => els.map((e) => e.getAttribute('data-type')));
    await this.page.getByTestId('run-view-table').click();
    return types;
  }
}
