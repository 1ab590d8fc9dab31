// Index: what the open index holds and which model reads it.
import {el, panel, table, fmt} from '../ui.js';
import {exportButtons} from '../charts.js';

export async function render(root, ctx) {
  const s = ctx.stats;
  const rows = [
    ['model', s.model], ['model sha256', s.model_sha256], ['dimensions', String(s.dims)],
    ['indexed layers', s.layers.join(', ')], ['piece pooling', s.pooling], ['static source', s.static_source],
    ['vector format', s.vector_format + (s.occurrence_graph ? ' + HNSW graph' : ' (flat)')],
    ['window layout', s.window_layout ?? 'not recorded'], ['documents', String(s.documents)],
    ['occurrences', String(s.occurrences)], ['lexemes', String(s.lexemes)],
    ['occurrences with codes', String(s.occurrences_with_codes)], ['bytes on disk', String(s.bytes)],
    ['bytes per occurrence', fmt(s.bytes_per_occurrence, 1)]];
  const t = table(['property', 'value'], rows);
  t.id = 'index-stats';
  const grid = el('div', {class: 'grid'});
  grid.append(panel('The open index', exportButtons('stats', null, () => s), t));
  const start = (label, state) => el('li', {}, el('a', {href: '#' + new URLSearchParams(state)}, label));
  grid.append(panel('Start here', el('ul', {},
    start('Word: static against contextual neighbours of "bank"', {view: 'word', word: 'bank'}),
    start('Context: "bank" in a sentence about a river', {view: 'context', context: 'We fished from the bank of the river', word: 'bank'}),
    start('Attention: what "it" attends to', {view: 'attention', text: 'France is a country, it is in Europe', word: 'it'}),
    start('Journey: two occurrences of "mouse" through the layers', {view: 'journey', word: 'mouse'}),
    start('Search: BM25 against MaxSim', {view: 'search', q: 'flooded river bank', a: 'bm25', b: 'maxsim'})),
  el('p', {class: 'hint'}, 'The API behind every view: GET /api/{command}?option=value with the command line\'s option'
    + ' names, answering what "contextlens command --json" prints (docs/web.md).')));
  root.append(grid);
}
