// Page object for the states palette.
export class PalettePanel {
  constructor(page) {
    this.page = page;
  }

  /** A palette item by its test id suffix, e.g. `aws-lambda-invoke`, `pass`, `choice`. */
  item(id) {
    return this.page.getByTestId(`palette-${id}`);
  }
}
