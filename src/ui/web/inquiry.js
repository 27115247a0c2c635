import { bi, button, fill, h } from './dom.js';

/**
 * The biller's answer to a look-up, shown so the customer can check it and choose from it:
 * arrears (filled in as the amount), a Telecom number's contracts, the game catalogue with a
 * search box. Numbers in the answer come masked from the kiosk.
 * @param {Record<string, any>} answer
 * @param {import('./form.js').FieldForm} form the service's remaining fields
 */
export function answerView(answer, form) {
  const box = h('div', { class: 'answer' });
  if (typeof answer.city === 'string') box.append(row('号码归属', 'Region', answer.city));
  if (typeof answer.arrears === 'string') {
    box.append(row('当前欠费', 'Arrears', `￥${answer.arrears}`));
    if (!form.values.amount && Number(answer.arrears) > 0) form.set('amount', answer.arrears);
  }
  if (Array.isArray(answer.contracts)) box.append(contractsView(answer.contracts, form));
  if (Array.isArray(answer.games)) box.append(gamesView(answer.games, form));
  if (box.childElementCount === 0) box.append(h('p', {}, bi('查询成功，请继续', 'Found; please continue')));
  return box;
}

/**
 * @param {string} zh
 * @param {string} en
 * @param {string} value
 */
function row(zh, en, value) {
  return h('div', { class: 'kv' }, bi(zh, en), h('strong', { class: 'value', text: value }));
}

/**
 * @param {Array<{ contractNo: string, arrears: string }>} contracts
 * @param {import('./form.js').FieldForm} form
 */
function contractsView(contracts, form) {
  const list = h('div', { class: 'choices', role: 'listbox' });
  for (const c of contracts) {
    const b = h(
      'button',
      { type: 'button', class: 'choice', role: 'option', 'data-value': c.contractNo },
      h('span', { class: 'value', text: c.contractNo }),
      bi(`欠费 ￥${c.arrears}`, `arrears ￥${c.arrears}`),
    );
    b.addEventListener('click', () => {
      form.set('contractNo', c.contractNo);
      if (Number(c.arrears) > 0) form.set('amount', c.arrears);
      for (const x of list.children) x.setAttribute('aria-selected', String(x === b));
    });
    list.append(b);
  }
  return h('section', {}, h('h3', {}, bi('请选择合同号', 'Choose a contract')), list);
}

/**
 * @param {Array<{ id: string, name?: string, packages: string[] }>} games
 * @param {import('./form.js').FieldForm} form
 */
function gamesView(games, form) {
  const search = /** @type {HTMLInputElement} */ (
    h('input', {
      type: 'search',
      class: 'search',
      autocomplete: 'off',
      'aria-label': '搜索游戏 / Search games',
    })
  );
  const list = h('div', { class: 'choices', role: 'listbox' });
  const packages = h('div', { class: 'choices packages' });
  const draw = () => {
    const q = search.value.trim().toLowerCase();
    const shown = games.filter((g) => !q || (g.name ?? '').toLowerCase().includes(q) || g.id.includes(q));
    fill(
      list,
      shown.length === 0 ? h('p', {}, bi('没有找到该游戏', 'No game found')) : null,
      ...shown.map((g) => {
        const b = h('button', {
          type: 'button',
          class: 'choice',
          role: 'option',
          'data-value': g.id,
          'aria-selected': String(form.values.game === g.id),
          text: g.name ?? g.id,
        });
        b.addEventListener('click', () => {
          form.set('game', g.id);
          form.set('package', '');
          draw();
          drawPackages(g);
        });
        return b;
      }),
    );
  };
  /** @param {{ packages: string[] }} g */
  const drawPackages = (g) =>
    fill(
      packages,
      ...g.packages.map((p) =>
        button(
          `${p} 元`,
          `${p} yuan`,
          () => {
            form.set('package', p);
            for (const x of packages.children)
              x.setAttribute('aria-selected', String(x.textContent?.startsWith(`${p} `)));
          },
          'choice',
        ),
      ),
    );
  search.addEventListener('input', draw);
  draw();
  return h(
    'section',
    {},
    h('h3', {}, bi('请选择游戏', 'Choose a game')),
    h('label', { class: 'search-label' }, bi('搜索', 'Search'), search),
    list,
    h('h3', {}, bi('充值套餐', 'Package')),
    packages,
  );
}
