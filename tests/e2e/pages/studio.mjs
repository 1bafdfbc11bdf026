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
