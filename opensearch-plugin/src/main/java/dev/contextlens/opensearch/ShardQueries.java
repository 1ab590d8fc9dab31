package dev.contextlens.opensearch;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.contextlens.lucene.ContextualSearcher;
import dev.contextlens.lucene.Explanation;
import dev.contextlens.lucene.IndexSchema;
import dev.contextlens.lucene.IndexSettings;
import dev.contextlens.lucene.LexemeHit;
import dev.contextlens.lucene.Lexicon;
import dev.contextlens.lucene.OccurrenceHit;
import dev.contextlens.lucene.OccurrenceQuery;
import dev.contextlens.lucene.RankedMerge;
import dev.contextlens.lucene.ResultJson;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.TermQuery;

/**
 * The commands of {@code POST /{index}/_contextlens/{command}}: what one shard computes (its lexicon's
 * sums; its part of a query, with the lexicon of the whole index) and how the coordinator merges the
 * parts into the JSON the command line prints with {@code --json} ({@link ResultJson}). The
 * parameters are the command line's option names: {@code word}, {@code context}, {@code k}, {@code
 * all-words}, {@code exhaustive}, {@code probes} (occurrences); {@code word}, {@code k} (neighbors);
 * {@code doc}, {@code word}, {@code nth} (explain).
 *
 * <p>Exact as lucene-module's {@link dev.contextlens.lucene.MultiIndexSearcher} is: each shard searches
 * with the lexicon of all shards ({@link Lexicon#combine} of their sums), so query vectors without a
 * context, probes and the word's centroid are the whole index's, and {@link RankedMerge} merges the
 * shards' rankings, ordered by score then (document id, position) or lexeme.
 */
final class ShardQueries {
  static final String LEXICON = "lexicon";
  static final String STATS = "stats";
  static final String NEIGHBORS = "neighbors";
  static final String OCCURRENCES = "occurrences";
  static final String EXPLAIN = "explain";
  /** The commands this plugin answers. */
  static final List<String> COMMANDS = List.of(NEIGHBORS, OCCURRENCES, EXPLAIN, STATS);
  private static final Map<String, Set<String>> PARAMS = Map.of(
      NEIGHBORS, Set.of("word", "k"),
      OCCURRENCES, Set.of("word", "context", "k", "all-words", "exhaustive", "probes"),
      EXPLAIN, Set.of("doc", "word", "nth"),
      STATS, Set.of());

  /** The parts travel as the JSON of lucene-module's result records. */
  static final ObjectMapper PARTS = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private ShardQueries() {}

  /**
   * Checks a command and its parameters before anything is sent to a shard.
   *
   * @throws IllegalArgumentException naming the command or parameter and what to give instead
   */
  static void validate(String command, Map<String, String> params) {
    Set<String> known = PARAMS.get(command);
    if (known == null) {
      throw new IllegalArgumentException("unknown contextlens command [" + command + "]: use one of " + COMMANDS);
    }
    for (String p : params.keySet()) {
      if (!known.contains(p)) {
        throw new IllegalArgumentException("unknown parameter [" + p + "] for " + command + ": it takes " + known.stream().sorted().toList());
      }
    }
    switch (command) {
      case NEIGHBORS -> {
        require(params, "word");
        integer(params, "k", 10);
      }
      case OCCURRENCES -> occurrenceQuery(params);
      case EXPLAIN -> {
        require(params, "doc");
        require(params, "word");
        integer(params, "nth", 1);
      }
      default -> { }
    }
  }

  /** This shard's lexicon sums and counts. */
  static ShardResponse lexicon(DirectoryReader reader, IndexSettings settings) throws IOException {
    Lexicon lexicon = Lexicon.load(reader, settings);
    IndexSearcher searcher = new IndexSearcher(reader);
    long documents = searcher.count(new TermQuery(new Term(IndexSchema.KIND, IndexSchema.KIND_DOCUMENT)));
    long occurrences = searcher.count(new TermQuery(new Term(IndexSchema.KIND, IndexSchema.KIND_OCCURRENCE)));
    return new ShardResponse(lexicon.sums(), documents, occurrences, null);
  }

  /** This shard's part of a query, as JSON: {@code {"word": normalized, "hits": [...]}} or {@code {"explanation": ...}}. */
  static String part(ContextualSearcher searcher, String command, Map<String, String> params) throws IOException {
    ObjectNode out = PARTS.createObjectNode();
    switch (command) {
      case NEIGHBORS -> {
        String w = searcher.normalize(params.get("word"));
        out.put("word", w);
        out.set("hits", PARTS.valueToTree(searcher.neighbors(w, integer(params, "k", 10))));
      }
      case OCCURRENCES -> {
        OccurrenceQuery q = occurrenceQuery(params);
        out.put("word", searcher.normalize(q.word()));
        out.set("hits", PARTS.valueToTree(searcher.occurrences(q)));
      }
      case EXPLAIN -> {
        String doc = params.get("doc");
        if (new IndexSearcher(searcher.reader()).count(new TermQuery(new Term(IndexSchema.ID, doc))) > 0) {
          out.set("explanation", PARTS.valueToTree(searcher.explain(doc, params.get("word"), integer(params, "nth", 1))));
        }
      }
      default -> throw new IllegalArgumentException("unknown contextlens command [" + command + "]");
    }
    return PARTS.writeValueAsString(out);
  }

  /** The command line's JSON of the merged parts. */
  static String merge(String command, Map<String, String> params, List<String> parts, String index) throws IOException {
    List<JsonNode> nodes = new ArrayList<>();
    for (String p : parts) {
      nodes.add(PARTS.readTree(p));
    }
    return switch (command) {
      case NEIGHBORS -> {
        List<List<LexemeHit>> hits = new ArrayList<>();
        for (JsonNode n : nodes) {
          hits.add(Arrays.asList(PARTS.treeToValue(n.get("hits"), LexemeHit[].class)));
        }
        yield ResultJson.write(ResultJson.neighbors(nodes.get(0).get("word").asText(),
            RankedMerge.lexemes(hits, integer(params, "k", 10))));
      }
      case OCCURRENCES -> {
        List<List<OccurrenceHit>> hits = new ArrayList<>();
        for (JsonNode n : nodes) {
          hits.add(Arrays.asList(PARTS.treeToValue(n.get("hits"), OccurrenceHit[].class)));
        }
        OccurrenceQuery q = occurrenceQuery(params);
        yield ResultJson.write(ResultJson.occurrences(nodes.get(0).get("word").asText(), q.context(),
            RankedMerge.occurrences(hits, q.k())));
      }
      case EXPLAIN -> {
        for (JsonNode n : nodes) {
          if (n.has("explanation")) {
            yield ResultJson.write(ResultJson.explanation(PARTS.treeToValue(n.get("explanation"), Explanation.class)));
          }
        }
        throw new IllegalArgumentException("no document with id '" + params.get("doc") + "' in index [" + index + "]");
      }
      default -> throw new IllegalArgumentException("unknown contextlens command [" + command + "]");
    };
  }

  /** The stats of the whole index: the command line's {@code stats --json} keys that OpenSearch has. */
  static String stats(IndexSettings s, long documents, long occurrences, int lexemes, int shards) {
    ObjectNode o = PARTS.createObjectNode();
    o.put("documents", documents);
    o.put("occurrences", occurrences);
    o.put("lexemes", lexemes);
    o.put("model", s.modelId());
    o.put("model_sha256", s.modelSha256());
    o.put("dims", s.dims());
    var layers = o.putArray("layers");
    Arrays.stream(s.layers()).forEach(layers::add);
    o.put("pooling", s.pooling().name().toLowerCase(Locale.ROOT));
    o.put("static_source", s.staticSource());
    o.put("vector_format", s.vectorFormat().label());
    o.put("occurrence_graph", s.occurrenceGraph());
    o.put("window_layout", s.windowLayout());
    o.put("shards", shards);
    return ResultJson.write(o);
  }

  static OccurrenceQuery occurrenceQuery(Map<String, String> params) {
    String word = require(params, "word");
    boolean allWords = bool(params, "all-words");
    boolean exhaustive = bool(params, "exhaustive");
    try {
      return new OccurrenceQuery(word, params.get("context"), integer(params, "k", 10), allWords, -1,
          exhaustive ? OccurrenceQuery.Strategy.EXHAUSTIVE : OccurrenceQuery.Strategy.PROBE,
          integer(params, "probes", OccurrenceQuery.DEFAULT_PROBES));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  private static String require(Map<String, String> params, String name) {
    String v = params.get(name);
    if (v == null || v.isBlank()) {
      throw new IllegalArgumentException("give the parameter [" + name + "]");
    }
    return v;
  }

  private static int integer(Map<String, String> params, String name, int fallback) {
    String v = params.get(name);
    if (v == null) {
      return fallback;
    }
    try {
      return Integer.parseInt(v.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("parameter [" + name + "] must be a whole number, not '" + v + "'");
    }
  }

  private static boolean bool(Map<String, String> params, String name) {
    String v = params.get(name);
    if (v == null) {
      return false;
    }
    if (v.isEmpty() || v.equals("true")) {
      return true;
    }
    if (v.equals("false")) {
      return false;
    }
    throw new IllegalArgumentException("parameter [" + name + "] must be true or false, not '" + v + "'");
  }
}
