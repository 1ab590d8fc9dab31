// Occurrence lists shared by the Word and Journey views.

/** Key of an occurrence for explain (document id and n-th occurrence of the word in it). */
export function occurrenceKey(doc, nth) {
  return `${doc}:${nth}`;
}

/** Parses "doc:nth;doc:nth" into [{doc, nth}]. */
export function parseKeys(value) {
  if (!value) return [];
  return value.split(';').filter(Boolean).map(k => {
    const i = k.lastIndexOf(':');
    return {doc: k.slice(0, i), nth: Number(k.slice(i + 1))};
  });
}

/**
 * Numbers every occurrence of a word within its document as explain counts them (title before text,
 * then by offset), when `hits` holds all the word's occurrences (`complete`); otherwise a hit gets no
 * number, since a missing occurrence would shift the count.
 */
export function numbered(hits, complete) {
  if (!complete) return hits.map(h => ({...h, nth: null}));
  const byDoc = new Map();
  for (const h of hits) {
    if (!byDoc.has(h.doc)) byDoc.set(h.doc, []);
    byDoc.get(h.doc).push(h);
  }
  const nth = new Map();
  for (const list of byDoc.values()) {
    list.sort((a, b) => (a.field === b.field ? 0 : a.field === 'title' ? -1 : 1) || a.start - b.start);
    list.forEach((h, i) => nth.set(h, i + 1));
  }
  return hits.map(h => ({...h, nth: nth.get(h)}));
}

/**
 * The groups a word's occurrences are shown in: one per sense of the word (the answer of
 * /api/senses, whose members name each occurrence by document, field and offset), each keeping the
 * hits' order and at most `perGroup` of them, labelled with the sense's size and nearest words; or one
 * group of the first `perGroup` hits when there are no senses.
 */
export function groups(hits, senses, perGroup) {
  if (!senses || senses.senses.length === 0) return [{label: null, sense: null, hits: hits.slice(0, perGroup)}];
  const key = (doc, field, start) => `${doc}\u0000${field}\u0000${start}`;
  const senseOf = new Map();
  senses.senses.forEach(s => s.members.forEach(m => senseOf.set(key(m.doc, m.field, m.start), s.id)));
  return senses.senses.map(s => {
    const all = hits.filter(h => senseOf.get(key(h.doc, h.field, h.start)) === s.id);
    const share = (100 * s.size / senses.occurrences).toFixed(0);
    const near = s.contextual_neighbors.slice(0, 4).map(n => n.word).join(', ');
    const self = s.self_similarity == null ? '' : `, self-similarity ${s.self_similarity.toFixed(3)}`;
    return {sense: s.id, hits: all.slice(0, perGroup), label: `sense ${s.id}: ${s.size} occurrence${s.size === 1 ? '' : 's'}`
      + ` (${share} %)${self}; nearest words in context: ${near}`
      + (all.length > perGroup ? ` — showing ${perGroup} of the ${all.length} listed` : '')};
  }).filter(g => g.hits.length > 0);
}
