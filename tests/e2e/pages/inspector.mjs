// Page object for the inspector: the selected state's forms.
export class InspectorPanel {
  constructor(page) {
    this.page = page;
    this.root = page.getByTestId('inspector');
  }

  async rename(to) {
    const input = this.page.getByTestId('inspector-name');
    await input.fill(to);
    await input.press('Enter');
  }

  async name() {
    return this.page.getByTestId('inspector-name').inputValue();
  }

  async tab(id) {
    await this.page.getByTestId(`inspector-tab-${id}`).click();
  }

  /** Sets a field by its pointer, e.g. `/Parameters` or `/Retry/0/MaxAttempts`. */
  async setField(pointer, value) {
    const id = `field-${pointer.replace(/^\//, '').replaceAll('/', '-')}`;
    const input = this.page.getByTestId(id);
    await input.fill(value);
    await input.blur();
  }

  async setNext(name) {
    await this.page.getByTestId('inspector-next').selectOption(name);
  }

  async setRule(index, { variable, operator, value, next }) {
    const id = (part) => this.page.getByTestId(`choice-rule-${index}-${part}`);
    if (variable !== undefined) {
      await id('variable').fill(variable);
      await id('variable').blur();
    }
    if (operator !== undefined) await id('operator').selectOption(operator);
    if (value !== undefined) {
      await id('value').fill(value);
      await id('value').blur();
    }
    if (next !== undefined) await id('next').selectOption(next);
  }

  async setDefault(name) {
    await this.page.getByTestId('choice-default').selectOption(name);
  }

  async delete() {
    await this.page.getByTestId('delete-state').click();
  }
}
