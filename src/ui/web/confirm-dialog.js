import { bi, button, h } from './dom.js';

/**
 * Asks the operator to confirm a step that cannot be taken back, over the whole screen in the
 * idle countdown's look (screen dimmed, white box, large buttons): 返回 resolves false and changes
 * nothing, 确认 resolves true. The dialog lives inside `host` (the screen's main area), so leaving
 * the screen (the idle logout included) takes it away unanswered.
 * @param {HTMLElement} host
 * @param {{ zh: string, en: string }} question
 * @param {import('./dom.js').Child} [detail] what the step applies to
 * @returns {Promise<boolean>}
 */
export function askToConfirm(host, question, detail) {
  return new Promise((resolve) => {
    const answer = (/** @type {boolean} */ yes) => {
      dialog.remove();
      resolve(yes);
    };
    const no = button('返回', 'Back', () => answer(false), 'secondary', { id: 'confirm-no' });
    const dialog = h(
      'div',
      {
        class: 'idle confirm-dialog',
        role: 'alertdialog',
        'aria-modal': 'true',
        'aria-labelledby': 'confirm-title',
      },
      h(
        'div',
        { class: 'idle-box' },
        h('p', { id: 'confirm-title', class: 'idle-title' }, bi(question.zh, question.en)),
        detail ? h('p', { class: 'confirm-detail', 'data-k': 'confirm-detail' }, detail) : null,
        h(
          'div',
          { class: 'confirm-actions' },
          no,
          button('确认', 'Confirm', () => answer(true), 'primary', { id: 'confirm-yes' }),
        ),
      ),
    );
    host.append(dialog);
    // The safe answer has the focus.
    no.focus();
  });
}
