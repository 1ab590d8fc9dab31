// Charts drawn with d3 (vendored, a global loaded before the modules), and their export as SVG, PNG
// and JSON. Labels are set with .text(), never as markup.
const d3 = window.d3;
const SVG_NS = 'http://www.w3.org/2000/svg';
const FONT = 'font-family: "DejaVu Sans", sans-serif; font-size: 11px;';

/** Buttons that save a chart as SVG or PNG and its data as JSON; `svg` and `data` are functions. */
export function exportButtons(name, svg, data) {
  const box = document.createElement('span');
  box.className = 'exports';
  const add = (label, action) => {
    const b = document.createElement('button');
    b.type = 'button';
    b.textContent = label;
    b.dataset.export = label.toLowerCase();
    b.addEventListener('click', action);
    box.append(b);
  };
  if (svg) {
    add('SVG', () => download(`${name}.svg`, new Blob([serialize(svg())], {type: 'image/svg+xml'})));
    add('PNG', () => png(svg()).then(blob => download(`${name}.png`, blob)));
  }
  add('JSON', () => download(`${name}.json`, new Blob([JSON.stringify(data(), null, 2)], {type: 'application/json'})));
  return box;
}

function serialize(svg) {
  const copy = svg.cloneNode(true);
  copy.setAttribute('xmlns', SVG_NS);
  copy.setAttribute('style', FONT + ' background: #fff');
  return new XMLSerializer().serializeToString(copy);
}

function png(svg) {
  const w = svg.viewBox.baseVal?.width || svg.clientWidth || 600;
  const h = svg.viewBox.baseVal?.height || svg.clientHeight || 400;
  const url = URL.createObjectURL(new Blob([serialize(svg)], {type: 'image/svg+xml'}));
  return new Promise((resolve, reject) => {
    const img = new Image();
    img.onload = () => {
      const canvas = document.createElement('canvas');
      canvas.width = w * 2;
      canvas.height = h * 2;
      const g = canvas.getContext('2d');
      g.fillStyle = '#fff';
      g.fillRect(0, 0, canvas.width, canvas.height);
      g.drawImage(img, 0, 0, canvas.width, canvas.height);
      URL.revokeObjectURL(url);
      canvas.toBlob(resolve, 'image/png');
    };
    img.onerror = reject;
    img.src = url;
  });
}

function download(filename, blob) {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}

/**
 * Horizontal bars, one per row: label(row), value(row) in [min(0, values), 1]; clicking a label calls
 * onClick(row). Returns the svg element.
 */
export function barChart(rows, {label, value, onClick, width = 360, title}) {
  const barH = 18;
  const left = 110;
  const height = rows.length * barH + 24;
  const lo = Math.min(0, d3.min(rows, value) ?? 0);
  const x = d3.scaleLinear().domain([lo, 1]).range([left, width - 40]);
  const svg = d3.create('svg').attr('viewBox', `0 0 ${width} ${height}`).attr('width', width).attr('height', height)
    .attr('role', 'img');
  if (title) svg.append('title').text(title);
  const g = svg.selectAll('g.bar').data(rows).join('g').attr('class', 'bar')
    .attr('transform', (d, i) => `translate(0, ${i * barH + 4})`);
  g.append('rect').attr('x', d => x(Math.min(0, value(d)))).attr('y', 2).attr('height', barH - 5)
    .attr('width', d => Math.abs(x(value(d)) - x(0))).attr('fill', '#7d9be0');
  g.append('text').attr('class', 'label').attr('x', left - 6).attr('y', barH / 2 + 3).attr('text-anchor', 'end')
    .attr('fill', onClick ? '#2458c6' : '#1d2433').style('cursor', onClick ? 'pointer' : null).text(label)
    .on('click', onClick ? (event, d) => onClick(d) : null);
  g.append('text').attr('x', d => x(Math.max(0, value(d))) + 4).attr('y', barH / 2 + 3).attr('fill', '#6b7385')
    .text(d => d3.format('.3f')(value(d)));
  svg.append('g').attr('transform', `translate(0, ${height - 18})`).call(d3.axisBottom(x).ticks(5)).attr('font-size', 9);
  return svg.node();
}

/** A histogram of values with `bins` bins between min and max, an x label, and a mark at `mark`. */
export function histogram(values, {bins = 20, xLabel, width = 360, height = 180, mark}) {
  const m = {l: 36, r: 10, t: 10, b: 34};
  const ext = d3.extent(values);
  const x = d3.scaleLinear().domain([Math.min(ext[0], mark ?? ext[0]), Math.max(ext[1], mark ?? ext[1])]).nice()
    .range([m.l, width - m.r]);
  const binned = d3.bin().domain(x.domain()).thresholds(x.ticks(bins))(values);
  const y = d3.scaleLinear().domain([0, d3.max(binned, b => b.length) || 1]).nice().range([height - m.b, m.t]);
  const svg = d3.create('svg').attr('viewBox', `0 0 ${width} ${height}`).attr('width', width).attr('height', height);
  svg.append('g').selectAll('rect').data(binned).join('rect')
    .attr('x', b => x(b.x0) + 0.5).attr('width', b => Math.max(0, x(b.x1) - x(b.x0) - 1))
    .attr('y', b => y(b.length)).attr('height', b => y(0) - y(b.length)).attr('fill', '#7d9be0');
  svg.append('g').attr('transform', `translate(0, ${height - m.b})`).call(d3.axisBottom(x).ticks(6)).attr('font-size', 9);
  svg.append('g').attr('transform', `translate(${m.l}, 0)`).call(d3.axisLeft(y).ticks(4)).attr('font-size', 9);
  svg.append('text').attr('x', (m.l + width - m.r) / 2).attr('y', height - 4).attr('text-anchor', 'middle')
    .attr('font-size', 10).text(xLabel);
  if (mark != null) {
    svg.append('line').attr('x1', x(mark)).attr('x2', x(mark)).attr('y1', m.t).attr('y2', height - m.b)
      .attr('stroke', '#c0392b').attr('stroke-dasharray', '3,2');
  }
  return svg.node();
}

/**
 * Lines over x = 0..n: series [{name, color, points: [[x, y], ...]}] (y null leaves a gap), a y label.
 */
export function lineChart(series, {xLabel, yLabel, width = 380, height = 240, xMax}) {
  const m = {l: 44, r: 10, t: 10, b: 34};
  const ys = series.flatMap(s => s.points.map(p => p[1])).filter(v => v != null);
  const x = d3.scaleLinear().domain([0, xMax]).range([m.l, width - m.r]);
  const y = d3.scaleLinear().domain([Math.min(0, d3.min(ys) ?? 0), 1]).nice().range([height - m.b, m.t]);
  const svg = d3.create('svg').attr('viewBox', `0 0 ${width} ${height}`).attr('width', width).attr('height', height);
  svg.append('g').attr('transform', `translate(0, ${height - m.b})`).call(d3.axisBottom(x).ticks(xMax)
    .tickFormat(d3.format('d'))).attr('font-size', 9);
  svg.append('g').attr('transform', `translate(${m.l}, 0)`).call(d3.axisLeft(y).ticks(5)).attr('font-size', 9);
  svg.append('text').attr('x', (m.l + width) / 2).attr('y', height - 4).attr('text-anchor', 'middle').attr('font-size', 10).text(xLabel);
  svg.append('text').attr('transform', `translate(11, ${(height - m.b) / 2}) rotate(-90)`).attr('text-anchor', 'middle')
    .attr('font-size', 10).text(yLabel);
  const line = d3.line().defined(p => p[1] != null).x(p => x(p[0])).y(p => y(p[1]));
  for (const s of series) {
    const g = svg.append('g').attr('class', 'series').attr('data-name', s.name);
    g.append('path').attr('d', line(s.points)).attr('fill', 'none').attr('stroke', s.color).attr('stroke-width', 2)
      .attr('stroke-dasharray', s.dash || null);
    g.selectAll('circle').data(s.points.filter(p => p[1] != null)).join('circle')
      .attr('cx', p => x(p[0])).attr('cy', p => y(p[1])).attr('r', 3).attr('fill', s.color)
      .append('title').text(p => `${s.name}: layer ${p[0]}, ${p[1].toFixed(3)}`);
  }
  return svg.node();
}

export const COLORS = d3.schemeTableau10;
