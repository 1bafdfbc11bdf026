// Page object for the header's "Share link" dialog and for the studio's saved documents.
export class ShareDialog {
  constructor(page) {
    this.page = page;
    this.root = page.getByTestId('share-dialog');
  }

  /** Clicks "Share link" and waits for the dialog. */
  async open() {
    await this.page.getByTestId('share-link').click();
    await this.root.waitFor();
  }

  /** The link shown in the dialog. */
  async url() {
    return this.page.getByTestId('share-url').inputValue();
  }

  copiedStatus() {
    return this.page.getByTestId('share-copied');
  }

  warning() {
    return this.page.getByTestId('share-warning');
  }

  error() {
    return this.page.getByTestId('share-error');
  }

  length() {
    return this.page.getByTestId('share-length');
  }

  async copy() {
    await this.page.getByTestId('share-copy').click();
  }

  async close() {
    await this.page.getByTestId('share-close').click();
    await this.root.waitFor({ state: 'detached' });
  }
}

/** The documents saved in this browser profile: `[{id, name, text, layout, settings}]` in list order. */
export async function savedDocuments(page) {
  return page.evaluate(() => {
    const list = JSON.parse(localStorage.getItem('asl-studio.docs') || '[]');
    return list.map(({ id, name }) => ({ id, name, ...JSON.parse(localStorage.getItem(`asl-studio.doc.${id}`) || '{}') }));
  });
}

/** The id of the open document. */
export async function currentDocumentId(page) {
  return page.evaluate(() => localStorage.getItem('asl-studio.current'));
}
