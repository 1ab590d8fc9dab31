package dev.contextlens.lucene;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * The one JSON form of every query result: what the command line prints with {@code --json}, the web
 * explorer's API returns and a search-engine plugin answers (field names and nesting as docs/cli.md
 * gives them). Numbers that are not finite are written as null (JSON has no NaN). Thread-safe.
 */
public final class ResultJson {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private ResultJson() {}

  /** Static neighbours of a word: {@code {"word", "hits": [{"word", "score", "rank"}]}}. */
  public static ObjectNode neighbors(String word, List<LexemeHit> hits) {
    ObjectNode o = NODES.objectNode();
    o.put("word", word);
    ArrayNode a = o.putArray("hits");
    hits.forEach(h -> a.add(lexeme(h)));
    return o;
  }

  /** Occurrences of a word: {@code {"word", "context", "hits": [occurrence]}}. */
  public static ObjectNode occurrences(String word, String context, List<OccurrenceHit> hits) {
    ObjectNode o = NODES.objectNode();
    o.put("word", word);
    o.put("context", context);
    ArrayNode a = o.putArray("hits");
    hits.forEach(h -> a.add(occurrence(h)));
    return o;
  }

  /**
   * One occurrence: {@code {"doc", "word", "field", "start", "end", "score", "snippet", "snippet_start",
   * "snippet_end"}}, the last two the word's UTF-16 span within the snippet.
   */
  public static ObjectNode occurrence(OccurrenceHit h) {
    ObjectNode o = NODES.objectNode();
    o.put("doc", h.doc());
    o.put("word", h.word());
    o.put("field", h.field());
    o.put("start", h.start());
    o.put("end", h.end());
    number(o, "score", h.score());
    o.put("snippet", h.snippet());
    o.put("snippet_start", h.snippetStart());
    o.put("snippet_end", h.snippetEnd());
    return o;
  }

  /** A comparison of the static and contextual rankings of a word. */
  public static ObjectNode comparison(WordComparison c) {
    ObjectNode o = NODES.objectNode();
    o.put("word", c.word());
    o.put("context", c.context());
    ArrayNode statics = o.putArray("static");
    c.staticRanking().forEach(h -> statics.add(lexeme(h)));
    ArrayNode contextual = o.putArray("contextual");
    for (WordComparison.ContextualLexemeHit h : c.contextualRanking()) {
      ObjectNode e = contextual.addObject();
      e.put("word", h.word());
      number(e, "score", h.score());
      e.put("rank", h.rank());
      e.put("doc", h.best().doc());
      e.put("snippet", h.best().snippet());
      e.put("snippet_start", h.best().snippetStart());
      e.put("snippet_end", h.best().snippetEnd());
    }
    ObjectNode m = o.putObject("metrics");
    number(m, "overlap", c.metrics().overlap());
    number(m, "jaccard", c.metrics().jaccard());
    number(m, "rbo", c.metrics().rbo());
    number(m, "kendall_tau", c.metrics().kendallTau());
    number(o, "self_similarity", c.selfSimilarity());
    o.put("occurrences", c.occurrences());
    number(o, "static_score", c.staticScore());
    ObjectNode s = o.putObject("contextual_scores");
    number(s, "min", c.contextualScores()[0]);
    number(s, "mean", c.contextualScores()[1]);
    number(s, "max", c.contextualScores()[2]);
    return o;
  }

  /** The explanation of one occurrence, layer by layer and head by head. */
  public static ObjectNode explanation(Explanation x) {
    ObjectNode o = NODES.objectNode();
    o.put("doc", x.doc());
    o.put("word", x.word());
    o.put("nth", x.nth());
    o.put("field", x.field());
    o.put("start", x.start());
    o.put("end", x.end());
    ArrayNode layers = o.putArray("layers");
    for (Explanation.Layer l : x.layers()) {
      ObjectNode e = layers.addObject();
      e.put("layer", l.layer());
      number(e, "static_cosine", l.staticCosine());
      number(e, "layer0_cosine", l.layerZeroCosine());
      number(e, "centroid_cosine", l.centroidCosine());
      ArrayNode heads = e.putArray("heads");
      for (Explanation.Head h : l.heads()) {
        ObjectNode head = heads.addObject();
        head.put("head", h.head());
        ArrayNode top = head.putArray("top");
        for (Explanation.Attended a : h.top()) {
          ObjectNode t = top.addObject();
          t.put("word", a.word());
          number(t, "weight", a.weight());
        }
      }
    }
    return o;
  }

  /** Retrieved documents: {@code {"mode", "query", "hits": [{"doc", "score", "rank"}]}}. */
  public static ObjectNode documents(RetrievalMode mode, String query, List<DocumentHit> hits) {
    ObjectNode o = NODES.objectNode();
    o.put("mode", mode.label());
    o.put("query", query);
    ArrayNode a = o.putArray("hits");
    for (DocumentHit h : hits) {
      ObjectNode e = a.addObject();
      e.put("doc", h.doc());
      number(e, "score", h.score());
      e.put("rank", h.rank());
    }
    return o;
  }

  /**
   * Two static tables compared: {@code {"a": {"source", "dims"}, "b": {...}, "mapped", "k", "vocabulary",
   * "summary": {...}, "moved_most": [word], "moved_least": [word]}}, plus {@code "words"} (every shared
   * word, in vocabulary order) when {@code allWords}.
   *
   * @param show how many words the two moved lists hold
   */
  public static ObjectNode tableComparison(
      dev.contextlens.lucene.tables.TableComparisonResult r, int show, boolean allWords) {
    ObjectNode o = NODES.objectNode();
    ObjectNode a = o.putObject("a");
    a.put("source", r.sourceA());
    a.put("dims", r.dimensionA());
    ObjectNode b = o.putObject("b");
    b.put("source", r.sourceB());
    b.put("dims", r.dimensionB());
    o.put("mapped", r.mapped());
    o.put("k", r.k());
    o.put("vocabulary", r.vocabulary());
    ObjectNode s = o.putObject("summary");
    number(s, "mean_overlap", r.meanOverlap());
    number(s, "mean_rbo", r.meanRbo());
    number(s, "disjoint_share", r.disjointShare());
    number(s, "mean_aligned_cosine", r.meanAlignedCosine());
    number(s, "median_aligned_cosine", r.medianAlignedCosine());
    ArrayNode most = o.putArray("moved_most");
    r.movedMost(show).forEach(w -> most.add(wordMovement(w)));
    ArrayNode least = o.putArray("moved_least");
    r.movedLeast(show).forEach(w -> least.add(wordMovement(w)));
    if (allWords) {
      ArrayNode all = o.putArray("words");
      r.words().forEach(w -> all.add(wordMovement(w)));
    }
    return o;
  }

  /**
   * The MaxSim ranking with each document's matches ({@link ContextualQueries#maxSimSearch}): what
   * {@link #documents} gives for {@link RetrievalMode#MAXSIM}, each hit with {@code "matches":
   * [{"query_word", "query_start", "query_end", "score", "word", "field", "start", "end", "snippet",
   * "snippet_start", "snippet_end"}]} in query order, the occurrence's fields null when the document
   * has none.
   */
  public static ObjectNode maxSimDocuments(String query, List<MaxSimMatches> ranking) {
    ObjectNode o = NODES.objectNode();
    o.put("mode", RetrievalMode.MAXSIM.label());
    o.put("query", query);
    ArrayNode a = o.putArray("hits");
    for (MaxSimMatches m : ranking) {
      ObjectNode e = a.addObject();
      e.put("doc", m.doc());
      number(e, "score", m.score());
      e.put("rank", a.size());
      ArrayNode matches = e.putArray("matches");
      m.matches().forEach(x -> matches.add(match(x)));
    }
    return o;
  }

  private static ObjectNode wordMovement(dev.contextlens.lucene.tables.WordMovement w) {
    ObjectNode o = NODES.objectNode();
    o.put("word", w.word());
    number(o, "overlap", w.overlap());
    number(o, "rbo", w.rbo());
    number(o, "aligned_cosine", w.alignedCosine());
    ArrayNode na = o.putArray("neighbors_a");
    w.neighborsA().forEach(na::add);
    ArrayNode nb = o.putArray("neighbors_b");
    w.neighborsB().forEach(nb::add);
    return o;
  }

  /**
   * How contextual each layer is: {@code {"model", "seed", "sampling": {...}, "occurrences",
   * "eligible_words", "interval", "layers": [{"layer", "anisotropy": estimate, ...}], "words": [...]}};
   * an estimate is {@code {"mean", "low", "high", "n"}}.
   */
  public static ObjectNode contextuality(ContextualityReport r) {
    ObjectNode o = NODES.objectNode();
    o.put("model", r.model());
    o.put("seed", r.options().seed());
    ObjectNode s = o.putObject("sampling");
    s.put("pairs", r.options().pairs());
    s.put("words", r.options().words());
    s.put("min_occurrences", r.options().minOccurrences());
    s.put("max_occurrences", r.options().maxOccurrences());
    s.put("documents", r.options().documents());
    o.put("occurrences", r.occurrences());
    o.put("eligible_words", r.eligibleWords());
    o.put("interval", "95% normal: mean +- 1.96 standard errors over the sampled units");
    ArrayNode layers = o.putArray("layers");
    for (ContextualityReport.Layer l : r.layers()) {
      ObjectNode e = layers.addObject();
      e.put("layer", l.layer());
      estimate(e, "anisotropy", l.anisotropy());
      estimate(e, "self_similarity", l.selfSimilarity());
      estimate(e, "self_similarity_adjusted", l.adjustedSelfSimilarity());
      estimate(e, "intra_similarity", l.intraSimilarity());
      estimate(e, "intra_similarity_adjusted", l.adjustedIntraSimilarity());
      estimate(e, "mev", l.maximumExplainableVariance());
      estimate(e, "mev_baseline", l.mevBaseline());
      estimate(e, "mev_adjusted", l.adjustedMev());
    }
    ArrayNode words = o.putArray("words");
    for (ContextualityReport.SampledWord w : r.words()) {
      ObjectNode e = words.addObject();
      e.put("word", w.word());
      e.put("occurrences", w.occurrences());
      e.put("sampled", w.sampled());
      ArrayNode self = e.putArray("self_similarity");
      for (double v : w.selfSimilarity()) {
        self.add(v);
      }
      ArrayNode mev = e.putArray("mev");
      for (double v : w.mev()) {
        mev.add(v);
      }
    }
    return o;
  }

  /**
   * The senses of a word: {@code {"word", "layer", "threshold", "min_share", "standardized", "occurrences", "senses": [{"id", "size",
   * "self_similarity", "examples": [{"doc", "field", "start", "end", "score", "snippet"}],
   * "static_neighbors": [lexeme], "contextual_neighbors": [lexeme], "members": [{"doc", "position",
   * "field", "start", "end"}], "centroid": [number]}]}}.
   */
  public static ObjectNode senses(SenseInventory inventory) {
    ObjectNode o = NODES.objectNode();
    o.put("word", inventory.word());
    o.put("layer", inventory.layer());
    number(o, "threshold", inventory.threshold());
    number(o, "min_share", inventory.minShare());
    o.put("standardized", inventory.standardized());
    o.put("occurrences", inventory.occurrences());
    ArrayNode senses = o.putArray("senses");
    for (SenseInventory.Sense s : inventory.senses()) {
      ObjectNode e = senses.addObject();
      e.put("id", s.id());
      e.put("size", s.size());
      number(e, "self_similarity", s.selfSimilarity());
      ArrayNode examples = e.putArray("examples");
      for (OccurrenceHit h : s.examples()) {
        ObjectNode x = examples.addObject();
        x.put("doc", h.doc());
        x.put("field", h.field());
        x.put("start", h.start());
        x.put("end", h.end());
        number(x, "score", h.score());
        x.put("snippet", h.snippet());
      }
      ArrayNode statics = e.putArray("static_neighbors");
      s.staticNeighbors().forEach(h -> statics.add(lexeme(h)));
      ArrayNode contextual = e.putArray("contextual_neighbors");
      s.contextualNeighbors().forEach(h -> contextual.add(lexeme(h)));
      ArrayNode members = e.putArray("members");
      for (SenseInventory.Member m : s.members()) {
        ObjectNode x = members.addObject();
        x.put("doc", m.doc());
        x.put("position", m.position());
        x.put("field", m.field());
        x.put("start", m.start());
        x.put("end", m.end());
      }
      ArrayNode centroid = e.putArray("centroid");
      for (float v : s.centroid()) {
        centroid.add(v);
      }
    }
    return o;
  }

  private static void estimate(ObjectNode parent, String field, ContextualityReport.Estimate e) {
    ObjectNode o = parent.putObject(field);
    number(o, "mean", e.mean());
    number(o, "low", e.low());
    number(o, "high", e.high());
    o.put("n", e.n());
  }

  /**
   * The journey of an indexed occurrence: {@code {"doc", "nth", "field", "start", "end", "windowed",
   * "journey": journey}}.
   *
   * @param top how many contributions each layer lists (largest norm first)
   */
  public static ObjectNode indexedJourney(IndexedJourney x, int top) {
    ObjectNode o = NODES.objectNode();
    o.put("doc", x.doc());
    o.put("nth", x.nth());
    o.put("field", x.field());
    o.put("start", x.start());
    o.put("end", x.end());
    o.put("windowed", x.windowed());
    o.set("journey", journey(x.journey(), top));
    return o;
  }

  /**
   * The journey of one occurrence: {@code {"model", "text", "word", "word_index", "start", "end",
   * "pieces", "position", "steps": [...], "layers": [{"layer", "top": [...]}], "positions": [...]}}.
   *
   * @param top how many contributions each layer lists (largest norm first)
   */
  public static ObjectNode journey(dev.contextlens.models.Journey j, int top) {
    ObjectNode o = NODES.objectNode();
    o.put("model", j.model());
    o.put("text", j.text());
    o.put("word", j.word());
    o.put("word_index", j.wordIndex());
    o.put("start", j.start());
    o.put("end", j.end());
    ArrayNode pieces = o.putArray("pieces");
    j.pieces().forEach(pieces::add);
    o.put("position", j.position());
    ArrayNode steps = o.putArray("steps");
    for (dev.contextlens.models.Journey.Step s : j.steps()) {
      ObjectNode e = steps.addObject();
      e.put("step", s.name());
      e.put("layer", s.layer());
      number(e, "norm", s.norm());
      number(e, "static_cosine", s.staticCosine());
      number(e, "previous_cosine", s.previousCosine());
      number(e, "centroid_cosine", s.centroidCosine());
    }
    ArrayNode layers = o.putArray("layers");
    for (dev.contextlens.models.Journey.LayerAttention l : j.layers()) {
      ObjectNode e = layers.addObject();
      e.put("layer", l.layer());
      ArrayNode t = e.putArray("top");
      for (dev.contextlens.models.Journey.Contribution c : l.contributions().subList(0, Math.min(top, l.contributions().size()))) {
        ObjectNode ce = t.addObject();
        ce.put("word", c.word());
        ce.put("word_index", c.wordIndex());
        ce.put("self", c.self());
        number(ce, "norm", c.norm());
        number(ce, "norm_share", c.normShare());
        number(ce, "attention", c.attention());
        number(ce, "attention_max", c.attentionMax());
        ce.put("strongest_head", c.strongestHead());
      }
    }
    ArrayNode positions = o.putArray("positions");
    for (dev.contextlens.models.Journey.PositionAlone p : j.positions()) {
      ObjectNode e = positions.addObject();
      e.put("position", p.position());
      number(e, "static_cosine", p.staticCosine());
      number(e, "occurrence_cosine", p.occurrenceCosine());
      number(e, "first_position_cosine", p.firstPositionCosine());
    }
    return o;
  }

  /** One query word and the occurrence it matched (see {@link #maxSimDocuments}). */
  private static ObjectNode match(MaxSimMatches.Match m) {
    ObjectNode e = NODES.objectNode();
    e.put("query_word", m.queryWord());
    e.put("query_start", m.queryStart());
    e.put("query_end", m.queryEnd());
    number(e, "score", m.score());
    OccurrenceHit h = m.occurrence();
    e.put("word", h == null ? null : h.word());
    e.put("field", h == null ? null : h.field());
    if (h == null) {
      e.putNull("start");
      e.putNull("end");
      e.putNull("snippet");
      e.putNull("snippet_start");
      e.putNull("snippet_end");
    } else {
      e.put("start", h.start());
      e.put("end", h.end());
      e.put("snippet", h.snippet());
      e.put("snippet_start", h.snippetStart());
      e.put("snippet_end", h.snippetEnd());
    }
    return e;
  }

  /** A stored document: {@code {"id", "title", "text"}}. */
  public static ObjectNode document(SourceDocument d) {
    ObjectNode o = NODES.objectNode();
    o.put("id", d.id());
    o.put("title", d.title());
    o.put("text", d.text());
    return o;
  }

  /** Indented JSON text. */
  public static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static ObjectNode lexeme(LexemeHit h) {
    ObjectNode o = NODES.objectNode();
    o.put("word", h.word());
    number(o, "score", h.score());
    o.put("rank", h.rank());
    return o;
  }

  private static void number(ObjectNode o, String field, double value) {
    if (Double.isFinite(value)) {
      o.put(field, value);
    } else {
      o.putNull(field);
    }
  }
}
