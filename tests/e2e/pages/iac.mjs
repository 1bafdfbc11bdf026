// Page objects for the infrastructure dialogs (import from CloudFormation/SAM, export as a
// template or a CLI command) and for the image export dialog with its Markdown snippet.
export class ImportDialog {
  constructor(page) {
    this.page = page;
    this.root = page.getByTestId('iac-import-dialog');
  }

  async open() {
    await this.page.getByTestId('iac-menu').selectOption('import');
    await this.root.waitFor();
  }

  /** Pastes a template and presses Import. */
  async paste(text) {
    await this.page.getByTestId('iac-template').fill(text);
    await this.page.getByTestId('iac-read').click();
  }

  /** Opens a template file through the dialog's file picker. */
  async openFile(name, text) {
    await this.page.getByTestId('iac-file-input').setInputFiles({ name, mimeType: 'text/plain', buffer: Buffer.from(text) });
  }

  machines() {
    return this.page.getByTestId('iac-machine');
  }

  machine(logicalId) {
    return this.page.locator(`[data-testid="iac-machine"][data-logical-id="${logicalId}"]`);
  }

  error() {
    return this.page.getByTestId('iac-import-error');
  }
}

export class ExportDialog {
  constructor(page) {
    this.page = page;
    this.root = page.getByTestId('iac-export-dialog');
  }

  async open() {
    await this.page.getByTestId('iac-menu').selectOption('export');
    await this.root.waitFor();
  }

  /** `cfn`, `sam` or `cli`, and `yaml` or `json`. */
  async choose(target, format) {
    await this.page.getByTestId('iac-target').selectOption(target);
    if (format) await this.page.getByTestId('iac-format').selectOption(format);
  }

  async output() {
    return this.page.getByTestId('iac-output').inputValue();
  }

  /** Clicks Download and returns the file's name and text. */
  async download() {
    const [download] = await Promise.all([this.page.waitForEvent('download'), this.page.getByTestId('iac-download').click()]);
    const stream = await download.createReadStream();
    const chunks = [];
    for await (const c of stream) chunks.push(c);
    return { name: download.suggestedFilename(), text: Buffer.concat(chunks).toString('utf8') };
  }

  async close() {
    await this.page.getByTestId('iac-export-close').click();
    await this.root.waitFor({ state: 'detached' });
  }
}

export class ImageDialog {
  constructor(page) {
    this.page = page;
    this.root = page.getByTestId('image-dialog');
  }

  async open() {
    await this.page.getByTestId('export-image').click();
    await this.root.waitFor();
  }

  async markdown() {
    return this.page.getByTestId('image-markdown').inputValue();
  }

  async snippetFor(format) {
    await this.page.getByTestId('image-snippet-format').selectOption(format);
  }

  /** Clicks Download SVG or PNG and returns the file's name and bytes. */
  async download(format) {
    const [download] = await Promise.all([this.page.waitForEvent('download'), this.page.getByTestId(`export-${format}`).click()]);
    const stream = await download.createReadStream();
    const chunks = [];
    for await (const c of stream) chunks.push(c);
    return { name: download.suggestedFilename(), bytes: Buffer.concat(chunks) };
  }

  async copy() {
    await this.page.getByTestId('image-copy').click();
  }
}
