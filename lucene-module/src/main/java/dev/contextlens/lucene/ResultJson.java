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

  /** One occurrence: {@code {"doc", "word", "field", "start", "end", "score", "snippet"}}. */
  public static ObjectNode occurrence(OccurrenceHit h) {
    ObjectNode o = NODES.objectNode();
    o.put("doc", h.doc());
    o.put("word", h.word());
    o.put("field", h.field());
    o.put("start", h.start());
    o.put("end", h.end());
    number(o, "score", h.score());
    o.put("snippet", h.snippet());
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
   * The senses of a word: {@code {"word", "layer", "threshold", "min_share", "occurrences", "senses": [{"id", "size",
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
