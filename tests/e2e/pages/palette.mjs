// Page object for the states palette.
export class PalettePanel {
  constructor(page) {
    this.page = page;
  }

  /** A palette item by its test id suffix, e.g. `aws-lambda-invoke`, `pass`, `choice`. */
  item(id) {
    return this.page.getByTestId(`palette-${id}`);
  }

  /** Shows the Patterns tab. */
  async patterns() {
    await this.page.getByTestId('palette-tab-patterns').click();
  }

  /** A pattern by template id, e.g. `retry-backoff` (drag it, or click it to insert at the chosen arrow). */
  pattern(id) {
    return this.page.getByTestId(`pattern-${id}`);
  }

  /** The button that opens a pattern as a new document. */
  openPattern(id) {
    return this.page.getByTestId(`pattern-open-${id}`);
  }
}
