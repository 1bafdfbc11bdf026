// Page object for the studio shell: the header, modes, documents, and access to the panel page objects.
import { CanvasPanel } from './canvas.mjs';
import { PalettePanel } from './palette.mjs';
import { InspectorPanel } from './inspector.mjs';
import { CodePanel } from './code.mjs';

export class StudioPage {
  constructor(page, baseUrl) {
    this.page = page;
    this.baseUrl = baseUrl;
    this.canvas = new CanvasPanel(page);
    this.palette = new PalettePanel(page);
    this.inspector = new InspectorPanel(page);
    this.codePanel = new CodePanel(page);
  }

  async goto(hash = '') {
    await this.page.goto(this.baseUrl + hash);
    await this.page.getByTestId('graph').locator('svg g.state').first().waitFor({ timeout: 20000 });
  }

  /** Opens a new document: `blank` or a template id. */
  async newDocument(id) {
    await this.page.getByTestId('new-from-template').selectOption(id);
  }

  /**
   * Picks a file through a file button (a FileButton: a button plus a hidden file input) the way a
   * keyboard user does: focus the button, press `key`, choose `file` in the picker that opens.
   */
  async pickFileWithKeyboard(testId, file, key = 'Enter') {
    if (!this.interceptsChoosers) {
      // Playwright answers file pickers only while the page has a listener; turn that on once and
      // for good, so that no picker opens for real (an open one would block the next).
      this.interceptsChoosers = true;
      this.page.on('filechooser', () => {});
      await this.page.waitForTimeout(100);
    }
    await this.page.getByTestId(testId).focus();
    const [chooser] = await Promise.all([this.page.waitForEvent('filechooser'), this.page.keyboard.press(key)]);
    await chooser.setFiles(file);
  }

  /** The `data-testid` of the focused element. */
  async focused() {
    return this.page.evaluate(() => document.activeElement?.dataset.testid ?? null);
  }

  async mode(name) {
    await this.page.getByTestId(`mode-${name}`).click();
  }

  async undo() {
    await this.page.getByTestId('undo').click();
  }

  async redo() {
    await this.page.getByTestId('redo').click();
  }

  errorCount() {
    return this.page.getByTestId('error-count');
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
