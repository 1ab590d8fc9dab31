// Journey: per layer, an occurrence's cosine to its static vector, to its own layer-0 vector and to its
// word's centroid (what explain computes), for several occurrences of one word on one chart each.
import {el, panel, snippet, table, fmt} from '../ui.js';
import {lineChart, exportButtons, COLORS} from '../charts.js';
import {numbered, occurrenceKey, parseKeys} from '../occurrences.js';

const MAX_LISTED = 2000;
const METRICS = [
  ['static_cosine', 'cosine to its static vector'],
  ['layer0_cosine', 'cosine to its layer-0 vector'],
  ['centroid_cosine', 'cosine to the word\'s centroid (indexed layers)']];

export async function render(root, ctx) {
  const {state} = ctx;
  if (!state.word) {
    root.append(el('p', {class: 'hint'}, 'Choose a word above; its occurrences can then be followed layer by layer.'));
    return;
  }
  const cmp = await ctx.api('compare', {word: state.word, k: 1});
  const total = cmp.occurrences;
  const occ = await ctx.api('occurrences', {word: state.word, k: Math.min(Math.max(total, 1), MAX_LISTED)});
  const hits = numbered(occ.hits, occ.hits.length === total).filter(h => h.nth);
  let chosen = parseKeys(state.occ);
  if (chosen.length === 0 && hits.length > 0) {
    // the most and the least typical occurrence (nearest to and farthest from the centroid)
    chosen = [hits[0], hits[hits.length - 1]].filter((h, i, a) => a.indexOf(h) === i);
  }
  const explained = await Promise.all(chosen.map(c => ctx.api('explain', {doc: c.doc, word: state.word, nth: c.nth})));
  if (!ctx.live()) return;
  const keys = chosen.map(c => occurrenceKey(c.doc, c.nth));
  const L = explained.length ? explained[0].layers.length - 1 : 0;
  const grid = el('div', {class: 'grid'});
  for (const [metric, label] of METRICS) {
    const series = explained.map((x, i) => ({name: `${x.doc} #${x.nth}`, color: COLORS[i % COLORS.length],
      points: x.layers.map(l => [l.layer, l[metric]])}));
    const chart = lineChart(series, {xLabel: 'layer', yLabel: label, xMax: L});
    chart.dataset.metric = metric;
    grid.append(panel(label, exportButtons(`journey-${cmp.word}-${metric}`, () => chart,
      () => explained.map(x => ({doc: x.doc, nth: x.nth, layers: x.layers.map(l => ({layer: l.layer, [metric]: l[metric]}))}))), chart));
  }
  const legend = el('div', {class: 'legend', id: 'journey-legend'}, explained.map((x, i) => {
    const h = hits.find(h => h.doc === x.doc && h.nth === x.nth);
    return el('span', {}, el('span', {class: 'swatch', style: `background: ${COLORS[i % COLORS.length]}`}),
      `${x.doc} #${x.nth}: `, h ? snippet(h.snippet, h.snippet_start, h.snippet_end) : '');
  }));
  const legendPanel = panel(`Occurrences of "${cmp.word}" on the charts`, legend);
  legendPanel.classList.add('wide');
  grid.prepend(legendPanel);

  const toggle = (key, on) => {
    const next = on ? [...keys, key] : keys.filter(k => k !== key);
    ctx.set({occ: next.join(';')});
  };
  const list = table(['', '>cosine to centroid', 'document', 'snippet'], hits.slice(0, 200).map(h => {
    const key = occurrenceKey(h.doc, h.nth);
    return [el('input', {type: 'checkbox', checked: keys.includes(key), dataset: {key},
      onchange: e => toggle(key, e.target.checked)}), fmt(h.score), el('span', {class: 'doc'}, `${h.doc} #${h.nth}`),
    snippet(h.snippet, h.snippet_start, h.snippet_end)];
  }));
  const listPanel = panel(`All ${total} occurrences of "${cmp.word}" (tick to add to the charts; nearest to the centroid first)`,
    el('div', {class: 'occ-list', id: 'journey-occurrences'}, list));
  listPanel.classList.add('wide');
  grid.append(listPanel);
  root.append(grid);
  if (hits.length < total) {
    root.prepend(el('p', {class: 'hint'}, `"${cmp.word}" has ${total} occurrences: they are numbered for explain`
      + ` only when all of them can be listed (at most ${MAX_LISTED}).`));
  }
}
