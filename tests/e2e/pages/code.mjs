// Page object for the Code view: the CodeMirror editor and its lint markers.
export class CodePanel {
  constructor(page) {
    this.page = page;
    this.content = page.locator('[data-testid="code-editor"] .cm-content');
  }

  async waitReady() {
    await this.content.waitFor({ timeout: 20000 });
  }

  /** The editor's text, from CodeMirror's state (not the partially rendered DOM). */
  async text() {
    return this.page.evaluate(() => document.querySelector('[data-testid="code-editor"]').aslEditorHandle.view.state.doc.toString());
  }

  /** Places the cursor after the first occurrence of `needle` and types `text`. */
  async typeAfter(needle, text) {
    await this.page.evaluate((needle) => {
      const view = document.querySelector('[data-testid="code-editor"]').aslEditorHandle.view;
      const at = view.state.doc.toString().indexOf(needle) + needle.length;
      view.focus();
      view.dispatch({ selection: { anchor: at } });
    }, needle);
    await this.page.keyboard.type(text, { delay: 10 });
  }

  lintMarkers() {
    return this.page.locator('[data-testid="code-editor"] .cm-lintRange-error, [data-testid="code-editor"] .cm-lint-marker-error');
  }
}
