// DOM helpers. Text from the index (snippets, titles, words) only ever reaches the page as text nodes,
// never as markup, so a document that holds <script> or <img onerror=...> shows those characters.

/** An element with attributes (on* handlers as functions) and children (strings become text nodes). */
export function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') e.addEventListener(k.slice(2), v);
    else if (k === 'class') e.className = v;
    else if (k === 'dataset') Object.assign(e.dataset, v);
    else e.setAttribute(k, v === true ? '' : String(v));
  }
  append(e, children);
  return e;
}

function append(e, children) {
  for (const c of children.flat()) {
    if (c === undefined || c === null || c === false) continue;
    e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

/** A snippet with the span [start, end) marked. */
export function snippet(text, start, end) {
  const s = el('span', {class: 'snippet'});
  if (start == null || end == null || start < 0 || end > text.length || start >= end) {
    s.append(document.createTextNode(text));
    return s;
  }
  s.append(document.createTextNode(text.slice(0, start)), el('mark', {}, text.slice(start, end)),
    document.createTextNode(text.slice(end)));
  return s;
}

/** A text with every span of [[start, end], ...] marked (spans sorted, not overlapping). */
export function marked(text, spans) {
  const s = el('span', {class: 'snippet'});
  let at = 0;
  for (const [a, b] of spans) {
    if (a < at) continue;
    s.append(document.createTextNode(text.slice(at, a)), el('mark', {}, text.slice(a, b)));
    at = b;
  }
  s.append(document.createTextNode(text.slice(at)));
  return s;
}

/** A word that, clicked, becomes the selection of every view. */
export function wordButton(word, ctx) {
  return el('button', {class: 'word', type: 'button', title: `show "${word}" in every view`,
    onclick: () => ctx.select(word)}, word);
}

/** A panel with a title. */
export function panel(title, ...children) {
  return el('section', {class: 'panel'}, el('h2', {}, title), ...children);
}

/** A data table: headers (a leading '>' right-aligns the column) and rows of cells (nodes or text). */
export function table(headers, rows) {
  const num = headers.map(h => h.startsWith('>'));
  return el('table', {class: 'data'},
    el('thead', {}, el('tr', {}, headers.map((h, i) => el('th', {class: num[i] ? 'num' : null}, h.replace(/^>/, ''))))),
    el('tbody', {}, rows.map(r => el('tr', {}, r.map((c, i) => el('td', {class: num[i] ? 'num' : null}, c))))));
}

/** A number with 3 decimals, or '–' when undefined. */
export function fmt(x, digits = 3) {
  return x === null || x === undefined || Number.isNaN(x) ? '–' : Number(x).toFixed(digits);
}

/** A labelled control that updates the view's state when changed. */
export function field(label, input) {
  return el('label', {}, label + ' ', input);
}
