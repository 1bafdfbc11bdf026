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

  testCases() {
    return this.page.getByTestId('test-case');
  }

  testCase_(name) {
    return this.page.locator(`[data-testid="test-case"][data-name="${name}"]`);
  }

  /** Saves the current input, mocks test case and last run as a named test case. */
  /** Opens the test cases section (closed while the document has none). */
  async openTestCases() {
    if (!(await this.page.getByTestId('test-cases').evaluate((d) => d.open))) {
      await this.page.getByTestId('test-cases-summary').click();
    }
  }

  async saveAsTestCase(name) {
    await this.openTestCases();
    await this.page.getByTestId('test-case-name').fill(name);
    await this.page.getByTestId('test-case-add').click();
    await this.testCase_(name).waitFor();
  }

  /** Opens a test case's JSON editor, lets `edit` change the parsed case, and applies it. */
  async editTestCase(name, edit) {
    await this.testCase_(name).getByTestId('test-case-edit').click();
    const box = this.page.getByTestId('test-case-json');
    const changed = edit(JSON.parse(await box.inputValue()));
    await box.fill(JSON.stringify(changed, null, 2));
    await this.page.getByTestId('test-case-apply').click();
    await this.testCase_(changed.name).waitFor();
  }

  async runAllTestCases() {
    await this.page.getByTestId('test-cases-run-all').click();
    await this.page.getByTestId('test-summary').waitFor();
  }

  async testCaseResult(name) {
    return this.testCase_(name).getAttribute('data-result');
  }

  async machineType(type) {
    await this.page.getByTestId('run-machine-type').selectOption(type);
  }

  /** Shows one Map iteration (`#3` as 3) or one Parallel branch (by its first state) in the table. */
  async pickScope(owner, which) {
    await this.page.getByTestId('scope-owner').selectOption(owner);
    if (typeof which === 'number') {
      await this.page.getByTestId('scope-iteration').fill(String(which));
      await this.page.getByTestId('scope-iteration').blur();
    } else {
      await this.page.getByTestId('scope-branch').selectOption(which);
    }
  }

  async stepDetails(state) {
    await this.row(state).click();
    await this.page.getByTestId('run-view-details').click();
    await this.page.getByTestId('step-details').waitFor();
    const json = async (id) => JSON.parse(await this.page.getByTestId(id).textContent());
    const details = { variables: await json('step-variables'), context: await json('step-context') };
    await this.page.getByTestId('run-view-table').click();
    return details;
  }
}

