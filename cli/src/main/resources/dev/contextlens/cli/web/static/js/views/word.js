// Word: static neighbours beside contextual ones and the word's own occurrences in their snippets,
// the compare metrics, and the spread of the occurrences' cosines.
import {el, panel, snippet, table, fmt, field} from '../ui.js';
import {barChart, histogram, exportButtons} from '../charts.js';
import {groups, numbered, occurrenceKey} from '../occurrences.js';

const MAX_SPREAD = 2000;

export async function render(root, ctx) {
  const {state} = ctx;
  const k = Number(state.k) || 10;
  const contextInput = el('input', {id: 'word-context', value: state.context || '', placeholder: 'optional: a sentence that uses the word'});
  const kInput = el('input', {id: 'word-k', type: 'number', min: 1, max: 100, value: k, style: 'width: 5em'});
  root.append(el('form', {class: 'controls', onsubmit: e => {
    e.preventDefault();
    ctx.set({context: contextInput.value.trim(), k: kInput.value});
  }}, field('context', contextInput), field('k', kInput), el('button', {type: 'submit'}, 'rank')));
  if (!state.word) {
    root.append(el('p', {class: 'hint'}, 'Type a word above (try bank, crane or mouse), or click a word in any view.'));
    return;
  }
  const cmp = await ctx.api('compare', {word: state.word, context: state.context, k});
  const total = cmp.occurrences;
  const occ = total > 0
    ? await ctx.api('occurrences', {word: state.word, context: state.context, k: Math.min(total, MAX_SPREAD)})
    : {hits: []};
  if (!ctx.live()) return;
  const hits = numbered(occ.hits, occ.hits.length === total);
  const against = state.context ? `"${cmp.word}" in the context` : `the centroid of "${cmp.word}"`;

  const grid = el('div', {class: 'grid'});
  const stat = barChart(cmp.static, {label: d => d.word, value: d => d.score, onClick: d => ctx.select(d.word),
    title: 'static neighbours'});
  grid.append(panel(`Static neighbours of "${cmp.word}" (the same in every sentence)`,
    exportButtons(`static-${cmp.word}`, () => stat, () => cmp.static), stat));
  const contextual = barChart(cmp.contextual, {label: d => d.word, value: d => d.score, onClick: d => ctx.select(d.word),
    title: 'contextual neighbours'});
  grid.append(panel(`Contextual neighbours (best occurrence of each word, against ${against})`,
    exportButtons(`contextual-${cmp.word}`, () => contextual, () => cmp.contextual), contextual));

  const m = cmp.metrics;
  const metrics = table(['metric', '>value'], [
    [`overlap@${k}`, fmt(m.overlap, 2)], ['Jaccard', fmt(m.jaccard, 2)], ['rank-biased overlap (p = 0.9)', fmt(m.rbo)],
    ['Kendall tau-b', fmt(m.kendall_tau)], ['self-similarity (mean pairwise cosine)', fmt(cmp.self_similarity)],
    ['occurrences in the index', String(total)],
    ['contextual cosine to the query: min / mean / max', `${fmt(cmp.contextual_scores.min)} / ${fmt(cmp.contextual_scores.mean)} / ${fmt(cmp.contextual_scores.max)}`]]);
  metrics.id = 'word-metrics';
  grid.append(panel('Static against contextual', exportButtons(`compare-${cmp.word}`, null, () => cmp), metrics));

  const scores = occ.hits.map(h => h.score);
  if (scores.length > 0) {
    const spread = histogram(scores, {xLabel: `cosine of each occurrence to ${against}`, mark: cmp.self_similarity});
    grid.append(panel(`Spread of the ${scores.length}${scores.length < total ? ` best of ${total}` : ''} occurrences`,
      exportButtons(`spread-${cmp.word}`, () => spread, () => occ), spread,
      el('p', {class: 'hint'}, 'Dashed: the self-similarity. One tight peak: the contexts barely move the word; a wide or split spread: they do.')));
  }

  const list = el('div', {class: 'occ-list', id: 'word-occurrences'});
  for (const g of groups(hits.slice(0, Math.max(k, 10)))) {
    if (g.label) list.append(el('div', {class: 'group-label'}, g.label));
    list.append(table(['>#', '>cosine', 'document', 'snippet', ''], g.hits.map((h, i) => [
      String(i + 1), fmt(h.score), el('span', {class: 'doc'}, h.doc), snippet(h.snippet, h.snippet_start, h.snippet_end),
      el('span', {}, h.nth ? el('button', {class: 'word-link', type: 'button', title: 'this occurrence layer by layer',
        onclick: () => ctx.set({view: 'journey', occ: occurrenceKey(h.doc, h.nth)})}, 'journey') : null, ' ',
        el('button', {class: 'word-link', type: 'button', title: 'attention in this document',
          onclick: () => ctx.set({view: 'attention', doc: h.doc, text: null})}, 'attention'))])));
  }
  const wide = panel(`Occurrences of "${cmp.word}", ranked by cosine to ${against}`,
    exportButtons(`occurrences-${cmp.word}`, null, () => occ), list);
  wide.classList.add('wide');
  grid.append(wide);
  root.append(grid);
  if (total === 0) root.prepend(el('p', {class: 'hint'}, `"${cmp.word}" does not occur in the index.`));
  root.append(el('p', {class: 'hint'}, 'Click a word to make it the subject of every view.'));
}
