// Context: type a sentence, click a word in it, and see the index's occurrences ranked by contextual
// similarity to that occurrence (of the same word or of every word) beside its static neighbours.
import {el, panel, snippet, table, fmt, field} from '../ui.js';
import {barChart, exportButtons} from '../charts.js';

const WORDLIKE = /[\p{L}\p{N}]/u;

export async function render(root, ctx) {
  const {state} = ctx;
  const k = Number(state.k) || 10;
  const allWords = state.all === 'true';
  const sentence = el('input', {id: 'context-text', value: state.context || '',
    placeholder: 'We fished from the bank of the river'});
  const kInput = el('input', {id: 'context-k', type: 'number', min: 1, max: 100, value: k, style: 'width: 5em'});
  const scope = el('select', {id: 'context-scope'},
    el('option', {value: 'false', selected: !allWords}, 'the same word'),
    el('option', {value: 'true', selected: allWords}, 'every word'));
  root.append(el('form', {class: 'controls', onsubmit: e => {
    e.preventDefault();
    ctx.set({context: sentence.value.trim(), k: kInput.value, all: scope.value === 'true' ? 'true' : null});
  }}, field('sentence', sentence), field('occurrences of', scope), field('k', kInput), el('button', {type: 'submit'}, 'read')));
  if (!state.context) {
    root.append(el('p', {class: 'hint'}, 'Type a sentence, press read, then click one of its words.'));
    return;
  }
  const layer = Math.max(...ctx.stats.layers);
  const read = await ctx.api('inspect', {text: state.context, layers: layer});
  if (!ctx.live()) return;
  const selected = state.word ? state.word.toLowerCase() : null;
  const tokens = el('div', {class: 'tokens', id: 'context-words'});
  for (const w of read.words) {
    if (!WORDLIKE.test(w.word)) {
      tokens.append(el('span', {class: 'punct'}, w.surface));
      continue;
    }
    tokens.append(el('button', {type: 'button', class: w.word === selected ? 'selected' : null, dataset: {word: w.word},
      onclick: () => ctx.select(w.word)}, w.surface));
  }
  root.append(tokens);
  if (!selected || !read.words.some(w => w.word === selected)) {
    root.append(el('p', {class: 'hint'}, 'Click a word of the sentence.'));
    return;
  }
  const [occ, nb] = await Promise.all([
    ctx.api('occurrences', {word: selected, context: state.context, k, 'all-words': allWords}),
    ctx.api('neighbors', {word: selected, k})]);
  if (!ctx.live()) return;
  const grid = el('div', {class: 'grid side'});
  const hits = table(['>#', '>cosine', 'word', 'document', 'snippet'], occ.hits.map((h, i) => [
    String(i + 1), fmt(h.score), el('button', {class: 'word-link', type: 'button', onclick: () => ctx.select(h.word)}, h.word),
    el('span', {class: 'doc'}, h.doc), snippet(h.snippet, h.snippet_start, h.snippet_end)]));
  hits.id = 'context-hits';
  grid.append(panel(`Occurrences of ${allWords ? 'every word' : `"${occ.word}"`} nearest to "${occ.word}" in this sentence (contextual cosine)`,
    exportButtons(`context-${occ.word}`, null, () => occ), hits));
  const chart = barChart(nb.hits, {label: d => d.word, value: d => d.score, onClick: d => ctx.select(d.word)});
  grid.append(panel(`Static neighbours of "${nb.word}" (whatever the sentence)`,
    exportButtons(`static-${nb.word}`, () => chart, () => nb), chart));
  root.append(grid);
}
