// Search: two retrieval modes side by side for one query; each document with the query's words marked
// where they occur as typed, and its rank in the other mode.
import {el, panel, marked, table, fmt, field} from '../ui.js';
import {exportButtons, COLORS} from '../charts.js';

const d3 = window.d3;
const MODES = ['bm25', 'static', 'dense', 'maxsim', 'hybrid'];
const WORD = /[\p{L}\p{N}]+/gu;

export async function render(root, ctx) {
  const {state} = ctx;
  const a = MODES.includes(state.a) ? state.a : 'bm25';
  const b = MODES.includes(state.b) ? state.b : 'maxsim';
  const k = Number(state.k) || 10;
  const q = el('input', {id: 'search-query', value: state.q || '', placeholder: 'flooded river bank'});
  const modeA = el('select', {id: 'search-a'}, MODES.map(m => el('option', {value: m, selected: m === a}, m)));
  const modeB = el('select', {id: 'search-b'}, MODES.map(m => el('option', {value: m, selected: m === b}, m)));
  const kInput = el('input', {type: 'number', min: 1, max: 100, value: k, style: 'width: 5em'});
  root.append(el('form', {class: 'controls', onsubmit: e => {
    e.preventDefault();
    ctx.set({q: q.value.trim(), a: modeA.value, b: modeB.value, k: kInput.value});
  }}, field('query', q), field('left', modeA), field('right', modeB), field('k', kInput), el('button', {type: 'submit'}, 'search')));
  if (!state.q) {
    root.append(el('p', {class: 'hint'}, 'Type a query; the two modes rank the documents side by side.'));
    return;
  }
  const [ra, rb] = await Promise.all([ctx.api('search', {query: state.q, mode: a, k}), ctx.api('search', {query: state.q, mode: b, k})]);
  const ids = [...new Set([...ra.hits, ...rb.hits].map(h => h.doc))];
  const docs = new Map(await Promise.all(ids.map(id => ctx.api('document', {doc: id}).then(d => [id, d]))));
  if (!ctx.live()) return;
  const words = new Set((state.q.toLowerCase().match(WORD) || []));
  const grid = el('div', {class: 'grid two'});
  grid.append(column(ra, rb, docs, words, 'search-left'), column(rb, ra, docs, words, 'search-right'));
  const slope = slopeChart(ra, rb);
  const p = panel('Ranks in the two modes (a line joins a document found by both)',
    exportButtons(`ranks-${a}-${b}`, () => slope, () => ({left: ra, right: rb})), slope);
  p.classList.add('wide');
  grid.append(p);
  root.append(grid);
  root.append(el('p', {class: 'hint'}, 'Marked: the words of the query where they occur as typed (BM25 also matches their stems;'
    + ' static, dense and MaxSim match by vectors, so a document can rank high with no word marked).'));
}

function column(result, other, docs, words, id) {
  const rankIn = new Map(other.hits.map(h => [h.doc, h.rank]));
  const rows = result.hits.map(h => {
    const d = docs.get(h.doc);
    const both = rankIn.get(h.doc);
    return [String(h.rank), fmt(h.score, 4),
      el('div', {}, el('span', {class: 'doc'}, h.doc),
        both ? el('span', {class: 'badge both'}, `#${both} in ${other.mode}`) : el('span', {class: 'badge'}, `not in ${other.mode}`),
        el('div', {}, el('b', {}, mark(d.title || '', words))), mark(shorten(d.text), words))];
  });
  const t = table(['>#', '>score', 'document'], rows);
  t.id = id;
  return panel(`${result.mode}`, exportButtons(`search-${result.mode}`, null, () => result), t);
}

/** The first 400 characters of a long text, cut at a space. */
function shorten(text) {
  if (text.length <= 400) return text;
  const cut = text.lastIndexOf(' ', 400);
  return text.slice(0, cut > 300 ? cut : 400) + ' …';
}

function mark(text, words) {
  const spans = [];
  for (const m of text.matchAll(WORD)) {
    if (words.has(m[0].toLowerCase())) spans.push([m.index, m.index + m[0].length]);
  }
  return marked(text, spans);
}

function slopeChart(ra, rb) {
  const k = Math.max(ra.hits.length, rb.hits.length, 1);
  const rowH = 20;
  const width = 520;
  const height = k * rowH + 30;
  const y = r => 24 + (r - 1) * rowH;
  const svg = d3.create('svg').attr('viewBox', `0 0 ${width} ${height}`).attr('width', width).attr('height', height);
  svg.append('text').attr('x', 150).attr('y', 10).attr('text-anchor', 'end').attr('font-size', 11).text(ra.mode);
  svg.append('text').attr('x', width - 150).attr('y', 10).attr('font-size', 11).text(rb.mode);
  const right = new Map(rb.hits.map(h => [h.doc, h.rank]));
  ra.hits.forEach((h, i) => {
    if (right.has(h.doc)) {
      svg.append('line').attr('x1', 156).attr('x2', width - 156).attr('y1', y(h.rank) - 4).attr('y2', y(right.get(h.doc)) - 4)
        .attr('stroke', COLORS[i % COLORS.length]).attr('stroke-width', 1.5);
    }
  });
  svg.append('g').selectAll('text').data(ra.hits).join('text').attr('x', 150).attr('y', h => y(h.rank))
    .attr('text-anchor', 'end').attr('font-size', 10).text(h => `${h.rank}. ${h.doc}`);
  svg.append('g').selectAll('text').data(rb.hits).join('text').attr('x', width - 150).attr('y', h => y(h.rank))
    .attr('font-size', 10).text(h => `${h.rank}. ${h.doc}`);
  return svg.node();
}
