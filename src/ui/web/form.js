import { bi, fill, h } from './dom.js';

/**
 * @typedef {{ name: string, zh: string, en: string, required: boolean, sensitive: 'phone' | 'account' | 'card' | null }} FieldView
 * @typedef {import('./api.js').ApiError} ApiError
 */

/** Field names the screens handle themselves rather than as a text box. */
export const CONFIRM_FIELD = 'confirm';

/**
 * How the on-screen keyboard should look for a field. Inputs stay `type=text` so full-width
 * digits (全角) can be typed; the kiosk normalises them.
 * @param {FieldView} f
 * @param {Record<string, any>} schema the service's JSON Schema
 */
function inputModeOf(f, schema) {
  if (f.sensitive === 'phone') return 'tel';
  if (f.name === 'amount' || f.name === 'package') return 'decimal';
  const prop = schema?.properties?.[f.name];
  if (prop && typeof prop.pattern === 'string' && /^\^\\d/.test(prop.pattern)) return 'numeric';
  return 'text';
}

/**
 * A form of text boxes for some of a service's fields, each with its bilingual label and a slot for
 * the errors that name it.
 */
export class FieldForm {
  /**
   * @param {{ fields: FieldView[], schema: Record<string, any> }} service
   * @param {string[]} names the fields to show, in this order
   * @param {Record<string, string>} values current values, updated as the customer types
   */
  constructor(service, names, values) {
    this.values = values;
    /** @type {Map<string, { input: HTMLInputElement, error: HTMLElement }>} */
    this.slots = new Map();
    this.el = h('div', { class: 'fields' });
    for (const name of names) {
      const f = service.fields.find((x) => x.name === name);
      if (!f) continue;
      const id = `f-${name}`;
      const input = /** @type {HTMLInputElement} */ (
        h('input', {
          id,
          name,
          type: 'text',
          inputmode: inputModeOf(f, service.schema),
          autocomplete: 'off',
          autocapitalize: 'off',
          spellcheck: 'false',
          'aria-required': f.required ? 'true' : undefined,
          'aria-describedby': `${id}-error`,
        })
      );
      input.value = values[name] ?? '';
      input.addEventListener('input', () => {
        values[name] = input.value;
        this.clear(name);
      });
      const error = h('div', { class: 'field-error', id: `${id}-error`, role: 'alert', 'data-field': name });
      this.el.append(
        h(
          'div',
          { class: 'field', 'data-field': name },
          h('label', { for: id }, bi(f.zh, f.en)),
          input,
          error,
        ),
      );
      this.slots.set(name, { input, error });
    }
  }

  /**
   * Sets a value from a choice on screen (a contract, a game, a package).
   * @param {string} name
   * @param {string} value
   */
  set(name, value) {
    this.values[name] = value;
    const slot = this.slots.get(name);
    if (slot) slot.input.value = value;
    this.clear(name);
  }

  /** @param {boolean} locked */
  lock(locked) {
    for (const { input } of this.slots.values()) input.readOnly = locked;
  }

  /** @param {string} [name] one field, or all */
  clear(name) {
    for (const [n, s] of this.slots) {
      if (name === undefined || n === name) {
        fill(s.error);
        s.input.removeAttribute('aria-invalid');
      }
    }
  }

  /**
   * Shows each problem next to the field it names; returns those that name no field shown here.
   * @param {import('./api.js').Problem[]} problems
   * @returns {import('./api.js').Problem[]}
   */
  show(problems) {
    const rest = [];
    for (const p of problems) {
      const slot = p.field ? this.slots.get(p.field) : undefined;
      if (!slot) {
        rest.push(p);
        continue;
      }
      slot.error.append(bi(p.zh, p.en));
      slot.input.setAttribute('aria-invalid', 'true');
    }
    return rest;
  }
}

/**
 * Shows an API refusal: next to the fields of the given forms where it names one, otherwise in the
 * screen's message box.
 * @param {ApiError} err
 * @param {HTMLElement} box
 * @param {FieldForm[]} forms
 */
export function showError(err, box, forms) {
  let rest = err.issues;
  for (const f of forms) rest = f.show(rest);
  fill(box, ...rest.map((p) => h('p', { class: 'error' }, bi(p.zh, p.en))));
}
