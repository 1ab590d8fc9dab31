package dev.contextlens.cli;

import dev.contextlens.analyzer.PieceTokenizer;
import dev.contextlens.analyzer.Word;
import dev.contextlens.lucene.IndexSchema;
import dev.contextlens.lucene.SourceDocument;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.SortedDocValues;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.Scorer;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.Weight;
import org.apache.lucene.search.join.QueryBitSetProducer;
import org.apache.lucene.util.BitSet;
import org.apache.lucene.util.Bits;

/**
 * Real occurrences of an index drawn at random (uniformly over occurrences, seeded), each with the
 * words around it in its document as a query context. Frequent words are drawn as often as they occur,
 * so the sample mixes rare content words with "the" and "of", as a corpus does.
 */
final class OccurrenceSample {
  /**
   * One drawn occurrence.
   *
   * @param docId the document it is in
   * @param word its lexeme
   * @param position its word position in the document (title + text)
   * @param context the text from {@code contextWords / 2} words before it to as many after it
   */
  record Query(String docId, String word, int position, String context) {}

  private OccurrenceSample() {}

  /**
   * Draws {@code n} occurrences (with replacement).
   *
   * @param contextWords words of context around each, split evenly before and after
   * @throws CliException if the index holds no occurrence
   */
  static List<Query> draw(DirectoryReader reader, PieceTokenizer tokenizer, int n, int contextWords, long seed)
      throws IOException {
    int[] occurrences = occurrenceDocs(reader);
    if (occurrences.length == 0) {
      throw new CliException(CliException.INDEX, "the index holds no occurrences to draw queries from");
    }
    QueryBitSetProducer parents =
        new QueryBitSetProducer(new TermQuery(new Term(IndexSchema.KIND, IndexSchema.KIND_DOCUMENT)));
    Random random = new Random(seed);
    List<Query> out = new ArrayList<>(n);
    int attempts = 0;
    while (out.size() < n && attempts++ < 10 * n + 100) {
      Query q = query(reader, parents, occurrences[random.nextInt(occurrences.length)], tokenizer, contextWords / 2);
      if (q != null) {
        out.add(q);
      }
    }
    return out;
  }

  /** Global doc ids of the live occurrence docs. */
  private static int[] occurrenceDocs(DirectoryReader reader) throws IOException {
    IndexSearcher searcher = new IndexSearcher(reader);
    Weight weight = searcher.createWeight(
        new TermQuery(new Term(IndexSchema.KIND, IndexSchema.KIND_OCCURRENCE)), ScoreMode.COMPLETE_NO_SCORES, 1f);
    int[] docs = new int[1024];
    int count = 0;
    for (LeafReaderContext leaf : reader.leaves()) {
      Scorer scorer = weight.scorer(leaf);
      if (scorer == null) {
        continue;
      }
      Bits live = leaf.reader().getLiveDocs();
      DocIdSetIterator it = scorer.iterator();
      for (int doc = it.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = it.nextDoc()) {
        if (live == null || live.get(doc)) {
          if (count == docs.length) {
            docs = Arrays.copyOf(docs, count * 2);
          }
          docs[count++] = leaf.docBase + doc;
        }
      }
    }
    return Arrays.copyOf(docs, count);
  }

  /** The occurrence at a global doc id with its context, or null if its document cannot be re-read. */
  private static Query query(DirectoryReader reader, QueryBitSetProducer parents, int globalDoc,
      PieceTokenizer tokenizer, int half) throws IOException {
    LeafReaderContext leaf = reader.leaves().get(ReaderUtil.subIndex(globalDoc, reader.leaves()));
    int doc = globalDoc - leaf.docBase;
    SortedDocValues words = leaf.reader().getSortedDocValues(IndexSchema.WORD);
    if (words == null || !words.advanceExact(doc)) {
      return null;
    }
    String word = words.lookupOrd(words.ordValue()).utf8ToString();
    int position = leaf.reader().storedFields().document(doc).getField(IndexSchema.POS).numericValue().intValue();
    BitSet parentBits = parents.getBitSet(leaf);
    int parent = parentBits == null ? -1 : parentBits.nextSetBit(doc);
    if (parent < 0 || parent == DocIdSetIterator.NO_MORE_DOCS) {
      return null;
    }
    Document p = leaf.reader().storedFields().document(parent);
    String text = new SourceDocument(p.get(IndexSchema.ID), p.get(IndexSchema.TITLE), p.get(IndexSchema.TEXT)).encodedText();
    List<Word> all = tokenizer.tokenize(text).words();
    if (position >= all.size() || !all.get(position).text().equals(word)) {
      return null;
    }
    int from = Math.max(0, position - half);
    int to = Math.min(all.size() - 1, position + half);
    return new Query(p.get(IndexSchema.ID), word, position, text.substring(all.get(from).start(), all.get(to).end()));
  }
}
