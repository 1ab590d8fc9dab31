// Search: two retrieval modes side by side for one query; each document with its rank in the other
// mode and the query's words marked where they occur as typed, or, for MaxSim, the document word each
// query word matched (search --explain-matches), drawn as lines from the query's words.
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
  const search = mode => ctx.api('search', {query: state.q, mode, k, 'explain-matches': mode === 'maxsim'});
  const [ra, rb] = await Promise.all([search(a), search(b)]);
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
    + ' static and dense match by vectors, so a document can rank high with no word marked). For MaxSim, each query word'
    + ' is joined to the document word whose contextual vector is nearest to it, with their cosine; these add up to the'
    + ' document\'s score.'));
}

function column(result, other, docs, words, id) {
  const rankIn = new Map(other.hits.map(h => [h.doc, h.rank]));
  const rows = result.hits.map(h => {
    const d = docs.get(h.doc);
    const both = rankIn.get(h.doc);
    return [String(h.rank), fmt(h.score, 4),
      el('div', {}, el('span', {class: 'doc'}, h.doc),
        both ? el('span', {class: 'badge both'}, `#${both} in ${other.mode}`) : el('span', {class: 'badge'}, `not in ${other.mode}`),
        ...(h.matches ? matched(h, d) : [el('div', {}, el('b', {}, mark(d.title || '', words))), mark(shorten(d.text), words)]))];
  });
  const t = table(['>#', '>score', 'document'], rows);
  t.id = id;
  return panel(`${result.mode}`, exportButtons(`search-${result.mode}`, null, () => result), t);
}

/**
 * A MaxSim hit: its title and text with each matched word marked in the colour of its query word,
 * and the lines that join each query word to the document word it matched.
 */
function matched(hit, d) {
  const color = new Map();
  hit.matches.forEach((m, i) => color.set(i, COLORS[i % COLORS.length]));
  const spans = field => hit.matches.map((m, i) => ({...m, i})).filter(m => m.field === field)
    .sort((x, y) => x.start - y.start || x.i - y.i);
  const shown = shorten(d.text);
  const body = colored(shown, spans('text').filter(m => m.end <= shown.length), color);
  const pairs = matchChart(hit, color);
  const box = el('details', {class: 'matches', open: hit.rank <= 3},
    el('summary', {}, 'which query word matched which document word',
      exportButtons(`maxsim-matches-${hit.doc}`, () => pairs, () => hit)), pairs);
  return [el('div', {}, el('b', {}, colored(d.title || '', spans('title'), color))), body, box];
}

/**
 * A text with the matched spans marked, each in the colour of the (first) query word that matched it,
 * with every query word that matched it and their cosines.
 */
function colored(text, matches, color) {
  const s = el('span', {class: 'snippet'});
  let at = 0;
  matches.forEach(m => {
    if (m.start < at) return;
    const same = matches.filter(o => o.start === m.start);
    s.append(document.createTextNode(text.slice(at, m.start)), el('mark', {class: 'match',
      style: `background: ${color.get(m.i)}40; box-shadow: inset 0 -2px ${color.get(m.i)}`,
      title: 'matches ' + same.map(o => `"${o.query_word}" (cosine ${fmt(o.score)})`).join(' and ') + ' of the query',
      dataset: {query: same.map(o => o.query_word).join(' ')}}, text.slice(m.start, m.end)));
    at = m.end;
  });
  s.append(document.createTextNode(text.slice(at)));
  return s;
}

/**
 * Query words (left, in query order) joined to the occurrences they matched (right, in document order,
 * each with the words around it); a line's width and opacity grow with the cosine.
 */
function matchChart(hit, color) {
  const occurrences = [];
  const row = new Map();
  const key = m => `${m.field}:${m.start}`;
  for (const m of [...hit.matches].filter(m => m.word !== null)
    .sort((x, y) => (x.field === y.field ? x.start - y.start : x.field === 'title' ? -1 : 1))) {
    if (!row.has(key(m))) {
      row.set(key(m), occurrences.length);
      occurrences.push(m);
    }
  }
  const rowH = 18;
  const width = 560;
  const height = Math.max(hit.matches.length, occurrences.length) * rowH + 8;
  const y = i => 14 + i * rowH;
  const left = 130;
  const right = 250;
  const svg = d3.create('svg').attr('class', 'maxsim-matches').attr('viewBox', `0 0 ${width} ${height}`)
    .attr('width', width).attr('height', height).attr('role', 'img');
  svg.append('title').text(`${hit.doc}: MaxSim ${fmt(hit.score, 4)} = the sum of the cosines`);
  const pairs = svg.append('g').selectAll('g').data(hit.matches.map((m, i) => ({...m, i}))).join('g').attr('class', 'pair')
    .attr('data-query', m => m.query_word).attr('data-word', m => m.word ?? '').attr('data-score', m => m.score);
  pairs.filter(m => m.word !== null).append('line').attr('x1', left + 4).attr('x2', right - 4)
    .attr('y1', m => y(m.i) - 4).attr('y2', m => y(row.get(key(m))) - 4)
    .attr('stroke', m => color.get(m.i)).attr('stroke-width', m => 1 + 4 * Math.max(0, m.score))
    .attr('stroke-opacity', m => 0.35 + 0.65 * Math.max(0, m.score))
    .append('title').text(m => `"${m.query_word}" → "${m.word}": cosine ${fmt(m.score)}`);
  pairs.append('text').attr('x', left).attr('y', m => y(m.i)).attr('text-anchor', 'end').attr('font-size', 11)
    .attr('fill', m => color.get(m.i)).text(m => `${m.query_word} ${fmt(m.score, 2)}`);
  const occ = svg.append('g').selectAll('text').data(occurrences).join('text').attr('class', 'occurrence')
    .attr('x', right).attr('y', (m, i) => y(i)).attr('font-size', 11);
  occ.append('tspan').attr('fill', '#6b7385').text(m => around(m).before);
  occ.append('tspan').attr('font-weight', 'bold').text(m => m.snippet.slice(m.snippet_start, m.snippet_end));
  occ.append('tspan').attr('fill', '#6b7385').text(m => around(m).after);
  return svg.node();
}

/** Up to 24 characters of the snippet on each side of the matched word. */
function around(m) {
  const before = m.snippet.slice(0, m.snippet_start);
  const after = m.snippet.slice(m.snippet_end);
  return {before: (m.field === 'title' ? 'title: ' : '') + (before.length > 24 ? '…' + before.slice(-24) : before),
    after: after.length > 24 ? after.slice(0, 24) + '…' : after};
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
