// Attention: for a text that fits one window, a layers x heads grid of small word-to-word maps, and
// one layer and head (or the mean over heads) in detail as weighted lines between words. Each request
// carries one layer (attention is heads x n x n numbers per layer).
import {el, panel, table, fmt, field} from '../ui.js';
import {exportButtons} from '../charts.js';

const d3 = window.d3;
const DEFAULT_TEXT = 'France is a country, it is in Europe';

function layerOf(ctx, text, layer) {
  return ctx.api('inspect', {text, layers: 0, attention: true, 'attention-layers': layer})
    .then(r => ({words: r.attention.words, layers: r.attention.model_layers, heads: r.attention.heads_per_layer,
      data: r.attention.layers[0]}));
}

export async function render(root, ctx) {
  const {state} = ctx;
  let text = state.text;
  if (!text && state.doc) text = (await ctx.api('document', {doc: state.doc})).text;
  if (!text) text = DEFAULT_TEXT;
  const input = el('input', {id: 'attention-text', value: text});
  root.append(el('form', {class: 'controls', onsubmit: e => {
    e.preventDefault();
    ctx.set({text: input.value.trim(), doc: null, layer: null, head: null});
  }}, field('text', input), el('button', {type: 'submit'}, 'show')));

  const first = await layerOf(ctx, text, state.layer || 1);
  const L = first.layers;
  const layer = Math.min(L, Math.max(1, Number(state.layer) || L));
  const head = state.head === undefined || state.head === 'mean' ? 'mean' : Number(state.head);
  const detail = layer === Number(first.data.layer) ? first : await layerOf(ctx, text, layer);
  if (!ctx.live()) return;
  const words = detail.words;
  const focus = state.word ? words.indexOf(state.word.toLowerCase()) : -1;
  const matrix = head === 'mean' ? detail.data.word_mean : detail.data.word_heads[head];

  const tokens = el('div', {class: 'tokens', id: 'attention-words'}, words.map((w, i) =>
    el('button', {type: 'button', class: i === focus ? 'selected' : null, onclick: () => ctx.select(w)}, w)));
  const layerSel = el('select', {id: 'attention-layer', onchange: () => ctx.set({layer: layerSel.value})},
    d3.range(1, L + 1).map(l => el('option', {value: l, selected: l === layer}, `layer ${l}`)));
  const headSel = el('select', {id: 'attention-head', onchange: () => ctx.set({head: headSel.value})},
    el('option', {value: 'mean', selected: head === 'mean'}, 'mean over heads'),
    d3.range(detail.data.word_heads.length).map(h => el('option', {value: h, selected: h === head}, `head ${h}`)));
  root.append(el('div', {class: 'controls'}, 'focus word (click):', tokens, layerSel, headSel));

  const grid = el('div', {class: 'grid'});
  const lines = linesChart(words, matrix, focus);
  const name = head === 'mean' ? `layer ${layer}, mean over heads` : `layer ${layer}, head ${head}`;
  grid.append(panel(`Attention at ${name}${focus >= 0 ? ` from "${words[focus]}"` : ''}`,
    exportButtons(`attention-l${layer}-${head}`, () => lines, () => ({text, words, layer, head, attention: matrix})),
    lines, el('p', {class: 'hint'}, 'Line width and opacity: attention from the word on the left to the word on the right'
      + ' (summed over its pieces, [CLS] and [SEP] left out), relative to the strongest of its row.'
      + ' Hover a word to see its lines alone.')));
  if (focus >= 0) {
    const ranked = words.map((w, j) => ({word: w, weight: matrix[focus][j]})).sort((a, b) => b.weight - a.weight);
    const strongest = table(['>#', 'word', '>attention'], ranked.map((r, i) => [String(i + 1), r.word, fmt(r.weight)]));
    strongest.id = 'attention-strongest';
    grid.append(panel(`Words "${words[focus]}" attends to most (${name})`,
      exportButtons(`strongest-${words[focus]}-l${layer}-${head}`, null, () => ranked), strongest));
  }
  const gridPanel = panel('Every layer and head (rows: layers; columns: heads, then their mean) — click a map');
  gridPanel.classList.add('wide');
  grid.append(gridPanel);
  root.append(grid);

  // the other layers, one request each, drawn as they arrive
  const perLayer = new Array(L + 1);
  perLayer[layer] = detail;
  if (Number(first.data.layer) !== layer) perLayer[first.data.layer] = first;
  await Promise.all(d3.range(1, L + 1).filter(l => !perLayer[l]).map(l => layerOf(ctx, text, l).then(r => {
    perLayer[l] = r;
  })));
  if (!ctx.live()) return;
  const overview = overviewChart(perLayer, words.length, focus, layer, head, ctx);
  gridPanel.append(exportButtons('attention-grid', () => overview,
    () => perLayer.filter(Boolean).map(p => ({layer: p.data.layer, word_heads: p.data.word_heads, word_mean: p.data.word_mean}))),
  overview);
}

/** Words on the left attend to words on the right; one line per pair, width by weight. */
function linesChart(words, matrix, focus) {
  const rowH = 22;
  const width = 420;
  const height = words.length * rowH + 20;
  const y = i => 14 + i * rowH;
  const svg = d3.create('svg').attr('viewBox', `0 0 ${width} ${height}`).attr('width', width).attr('height', height)
    .attr('id', 'attention-lines');
  const pairs = [];
  words.forEach((_, i) => words.forEach((__, j) => pairs.push({i, j, w: matrix[i][j]})));
  // width and opacity relative to the strongest weight of the row, so weak rows stay readable
  const rowMax = matrix.map(r => Math.max(...r) || 1);
  const linesG = svg.append('g');
  const line = linesG.selectAll('line').data(pairs).join('line')
    .attr('x1', 120).attr('x2', width - 120).attr('y1', p => y(p.i) - 4).attr('y2', p => y(p.j) - 4)
    .attr('stroke', '#2458c6').attr('stroke-width', p => 0.5 + 7 * p.w / rowMax[p.i])
    .attr('stroke-opacity', p => 0.08 + 0.85 * p.w / rowMax[p.i])
    .attr('data-from', p => p.i).attr('data-to', p => p.j).attr('data-weight', p => p.w.toFixed(4));
  const show = i => line.attr('display', p => i < 0 || p.i === i ? null : 'none');
  show(focus);
  svg.append('g').selectAll('text').data(words).join('text').attr('x', 114).attr('y', (_, i) => y(i))
    .attr('text-anchor', 'end').attr('font-weight', (_, i) => i === focus ? 'bold' : null).text(w => w)
    .style('cursor', 'pointer').on('mouseenter', (e, w) => show(words.indexOf(w))).on('mouseleave', () => show(focus));
  svg.append('g').selectAll('text').data(words).join('text').attr('x', width - 114).attr('y', (_, i) => y(i)).text(w => w);
  return svg.node();
}

/** Small heat maps: one per layer and head plus the mean; the selected one framed. */
function overviewChart(perLayer, n, focus, layer, head, ctx) {
  const size = 44;
  const gap = 6;
  const L = perLayer.length - 1;
  const H = perLayer[1].data.word_heads.length;
  const left = 52;
  const width = left + (H + 1) * (size + gap);
  const height = 18 + L * (size + gap);
  const color = d3.scaleSequential(d3.interpolateBlues).domain([0, 1]);
  const svg = d3.create('svg').attr('viewBox', `0 0 ${width} ${height}`).attr('width', width).attr('height', height)
    .attr('id', 'attention-grid');
  const cell = size / n;
  for (let l = 1; l <= L; l++) {
    const top = 16 + (l - 1) * (size + gap);
    svg.append('text').attr('x', 0).attr('y', top + size / 2 + 4).attr('font-size', 10).text(`layer ${l}`);
    for (let h = 0; h <= H; h++) {
      const m = h === H ? perLayer[l].data.word_mean : perLayer[l].data.word_heads[h];
      const key = h === H ? 'mean' : h;
      const g = svg.append('g').attr('class', 'cell' + (l === layer && key === head ? ' selected' : ''))
        .attr('transform', `translate(${left + h * (size + gap)}, ${top})`)
        .attr('data-layer', l).attr('data-head', key)
        .on('click', () => ctx.set({layer: l, head: key}));
      g.append('title').text(`layer ${l}, ${h === H ? 'mean over heads' : `head ${h}`}`);
      const rows = focus >= 0 ? [focus] : d3.range(n);
      for (const i of d3.range(n)) {
        for (const j of d3.range(n)) {
          g.append('rect').attr('x', j * cell).attr('y', i * cell).attr('width', cell).attr('height', cell)
            .attr('fill', color(m[i][j])).attr('opacity', rows.includes(i) ? 1 : 0.35);
        }
      }
      g.append('rect').attr('class', 'frame').attr('width', size).attr('height', size).attr('fill', 'none').attr('stroke', '#ccd');
    }
  }
  for (let h = 0; h <= H; h++) {
    svg.append('text').attr('x', left + h * (size + gap) + size / 2).attr('y', 10).attr('text-anchor', 'middle')
      .attr('font-size', 9).text(h === H ? 'mean' : `h${h}`);
  }
  return svg.node();
}
