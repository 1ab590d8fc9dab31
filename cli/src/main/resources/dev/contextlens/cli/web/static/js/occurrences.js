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
 * The groups a word's occurrences are shown in. Today one group holds them all; when the index offers
 * senses (clusters of a word's occurrences), this is where each sense becomes a group with its label.
 */
export function groups(hits) {
  return [{label: null, hits}];
}
