package dev.contextlens.opensearch;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.contextlens.lucene.ComparisonPart;
import dev.contextlens.lucene.ContextualSearcher;
import dev.contextlens.lucene.DocumentHit;
import dev.contextlens.lucene.DocumentStatistics;
import dev.contextlens.lucene.IndexException;
import dev.contextlens.lucene.Explanation;
import dev.contextlens.lucene.IndexSchema;
import dev.contextlens.lucene.IndexSettings;
import dev.contextlens.lucene.LexemeHit;
import dev.contextlens.lucene.QueryEncodings;
import dev.contextlens.models.EncodeRequest;
import dev.contextlens.lucene.Lexicon;
import dev.contextlens.lucene.OccurrenceHit;
import dev.contextlens.lucene.OccurrenceQuery;
import dev.contextlens.lucene.RankedMerge;
import dev.contextlens.lucene.ResultJson;
import dev.contextlens.lucene.RetrievalMode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.util.BytesRef;

/**
 * The commands of {@code POST /{index}/_contextlens/{command}}: what one shard computes (its lexicon's
 * sums; its part of a query, with the lexicon of the whole index) and how the coordinator merges the
 * parts into the JSON the command line prints with {@code --json} ({@link ResultJson}). The
 * parameters are the command line's option names: {@code word}, {@code context}, {@code k}, {@code
 * all-words}, {@code exhaustive}, {@code probes} (occurrences); {@code word}, {@code k} (neighbors);
 * {@code word}, {@code context}, {@code k} (compare); {@code doc}, {@code word}, {@code nth}
 * (explain); {@code query}, {@code mode}, {@code k} (search).
 *
 * <p>Exact as lucene-module's {@link dev.contextlens.lucene.MultiIndexSearcher} is: each shard searches
 * with the lexicon of all shards ({@link Lexicon#combine} of their sums), so query vectors without a
 * context, probes and the word's centroid are the whole index's; {@link RankedMerge} merges the
 * shards' rankings, ordered by score then (document id, position) or lexeme, {@link
 * ComparisonPart#merge} their shares of a comparison, and a search runs the rounds of {@link
 * dev.contextlens.lucene.DocumentSearch} (BM25 statistics summed over the shards first).
 */
final class ShardQueries {
  static final String LEXICON = "lexicon";
  /** The parameter of a {@link #LEXICON} request: the stamp whose sums the coordinator holds. */
  static final String KNOWN_STAMP = "known-stamp";
  static final String STATS = "stats";
  static final String NEIGHBORS = "neighbors";
  static final String OCCURRENCES = "occurrences";
  static final String EXPLAIN = "explain";
  static final String COMPARE = "compare";
  static final String SEARCH = "search";
  /** A shard's BM25 statistics for a search (a step of {@link #SEARCH}, not a command of its own). */
  static final String SEARCH_STATISTICS = "search-statistics";
  /** A shard's ranking for a search (a step of {@link #SEARCH}, not a command of its own). */
  static final String SEARCH_RANKING = "search-ranking";
  /** The commands this plugin answers. */
  static final List<String> COMMANDS = List.of(NEIGHBORS, OCCURRENCES, COMPARE, EXPLAIN, SEARCH, STATS);
  private static final Map<String, Set<String>> PARAMS = Map.of(
      NEIGHBORS, Set.of("word", "k"),
      OCCURRENCES, Set.of("word", "context", "k", "all-words", "exhaustive", "probes"),
      COMPARE, Set.of("word", "context", "k"),
      EXPLAIN, Set.of("doc", "word", "nth"),
      SEARCH, Set.of("query", "mode", "k"),
      STATS, Set.of());

  /**
   * The parameter of a shard request that carries the query's encodings, computed once by the
   * coordinator ({@link QueryEncodings}), as JSON.
   */
  static final String ENCODINGS = "encodings";

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
      case COMPARE -> {
        require(params, "word");
        integer(params, "k", 10);
      }
      case SEARCH -> {
        require(params, "query");
        mode(params);
        integer(params, "k", 10);
      }
      case EXPLAIN -> {
        require(params, "doc");
        require(params, "word");
        integer(params, "nth", 1);
      }
      default -> { }
    }
  }

  /**
   * This shard copy's stamp and, unless {@code known} is that stamp (the coordinator holds its sums),
   * its lexicon sums and counts.
   */
  static ShardResponse lexicon(DirectoryReader reader, IndexSettings settings, String stamp, String known) throws IOException {
    if (stamp.equals(known)) {
      return new ShardResponse(stamp, null, 0, 0, null);
    }
    Lexicon lexicon = Lexicon.load(reader, settings);
    IndexSearcher searcher = new IndexSearcher(reader);
    long documents = searcher.count(new TermQuery(new Term(IndexSchema.KIND, IndexSchema.KIND_DOCUMENT)));
    long occurrences = searcher.count(new TermQuery(new Term(IndexSchema.KIND, IndexSchema.KIND_OCCURRENCE)));
    return new ShardResponse(stamp, lexicon.sums(), documents, occurrences, null);
  }

  /**
   * The parameters of a command's shard requests: {@code params} and, for a word in a context
   * (occurrences, compare), the context's encoding, computed here once instead of by every shard. A
   * context the encoder refuses is left to the shards, which refuse it with the library's message.
   */
  static Map<String, String> withEncodings(String command, Map<String, String> params, ContextlensModels.Loaded loaded)
      throws IOException {
    String context = params.get("context");
    if (!(command.equals(OCCURRENCES) || command.equals(COMPARE)) || context == null || context.isBlank()) {
      return params;
    }
    List<QueryEncodings.Given> given = new ArrayList<>();
    EncodeRequest request = QueryEncodings.contextRequest(loaded.settings(), -1);
    try {
      given.add(QueryEncodings.Given.of(loaded.encoder(), context, request));
    } catch (RuntimeException refused) {
      return params;
    }
    Map<String, String> out = new HashMap<>(params);
    out.put(ENCODINGS, PARTS.writeValueAsString(given));
    return out;
  }

  /**
   * The encodings a search's shard rankings need, as JSON (null when none): the query's text vector
   * for the dense ranking (dense, hybrid, MaxSim candidates) and its words for MaxSim.
   */
  static String searchEncodings(String query, RetrievalMode mode, ContextlensModels.Loaded loaded) throws IOException {
    List<QueryEncodings.Given> given = new ArrayList<>();
    try {
      if (mode != RetrievalMode.BM25 && mode != RetrievalMode.STATIC) {
        EncodeRequest dense = QueryEncodings.denseRequest(loaded.encoder());
        given.add(QueryEncodings.Given.of(loaded.encoder(), query, dense));
      }
      if (mode == RetrievalMode.MAXSIM) {
        EncodeRequest words = QueryEncodings.contextRequest(loaded.settings(), -1);
        given.add(QueryEncodings.Given.of(loaded.encoder(), query, words));
      }
    } catch (RuntimeException refused) {
      return null;
    }
    return given.isEmpty() ? null : PARTS.writeValueAsString(given);
  }

  /** Gives the searcher the encodings a shard request carries, if any. */
  static void useEncodings(ContextualSearcher searcher, Map<String, String> params) throws IOException {
    String json = params.get(ENCODINGS);
    if (json != null) {
      searcher.useEncodings(List.of(PARTS.readValue(json, QueryEncodings.Given[].class)));
    }
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
      case COMPARE -> {
        return PARTS.writeValueAsString(searcher.comparisonPart(params.get("word"), params.get("context"), integer(params, "k", 10)));
      }
      case SEARCH_STATISTICS -> {
        return statisticsJson(searcher.documentStatistics(params.get("query")));
      }
      case SEARCH_RANKING -> {
        String statistics = params.get("statistics");
        String candidates = params.get("candidates");
        out.set("hits", PARTS.valueToTree(searcher.documentRanking(params.get("query"), mode(params),
            integer(params, "n", 10), statistics == null ? null : statistics(statistics),
            candidates == null ? null : Set.of(PARTS.readValue(candidates, String[].class)))));
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
      case COMPARE -> {
        List<ComparisonPart> shares = new ArrayList<>();
        for (String p : parts) {
          shares.add(PARTS.readValue(p, ComparisonPart.class));
        }
        yield ResultJson.write(ResultJson.comparison(ComparisonPart.merge(shares)));
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

  /** A shard's ranking from its part of {@link #SEARCH_RANKING}. */
  static List<DocumentHit> ranking(String part) throws IOException {
    return Arrays.asList(PARTS.treeToValue(PARTS.readTree(part).get("hits"), DocumentHit[].class));
  }

  /** The command line's JSON of a search's merged ranking. */
  static String searchJson(Map<String, String> params, List<DocumentHit> hits) {
    return ResultJson.write(ResultJson.documents(mode(params), params.get("query"), hits));
  }

  /**
   * BM25 statistics as JSON: {@code {"terms": [[field, base64 of the term's bytes, docFreq,
   * totalTermFreq], ...], "fields": {field: [maxDoc, docCount, sumTotalTermFreq, sumDocFreq]}}}.
   */
  static String statisticsJson(DocumentStatistics statistics) throws IOException {
    ObjectNode o = PARTS.createObjectNode();
    var terms = o.putArray("terms");
    statistics.terms().forEach((term, s) -> {
      var t = terms.addArray();
      t.add(term.field());
      t.add(Base64.getEncoder().encodeToString(BytesRef.deepCopyOf(term.bytes()).bytes));
      for (long v : s) {
        t.add(v);
      }
    });
    ObjectNode fields = o.putObject("fields");
    statistics.fields().forEach((field, s) -> {
      var f = fields.putArray(field);
      for (long v : s) {
        f.add(v);
      }
    });
    return PARTS.writeValueAsString(o);
  }

  /** BM25 statistics from {@link #statisticsJson}. */
  static DocumentStatistics statistics(String json) throws IOException {
    JsonNode o = PARTS.readTree(json);
    Map<Term, long[]> terms = new HashMap<>();
    for (JsonNode t : o.get("terms")) {
      long[] s = new long[t.size() - 2];
      for (int i = 0; i < s.length; i++) {
        s[i] = t.get(i + 2).asLong();
      }
      terms.put(new Term(t.get(0).asText(), new BytesRef(Base64.getDecoder().decode(t.get(1).asText()))), s);
    }
    Map<String, long[]> fields = new HashMap<>();
    for (var it = o.get("fields").fields(); it.hasNext();) {
      Map.Entry<String, JsonNode> f = it.next();
      long[] s = new long[f.getValue().size()];
      for (int i = 0; i < s.length; i++) {
        s[i] = f.getValue().get(i).asLong();
      }
      fields.put(f.getKey(), s);
    }
    return new DocumentStatistics(Map.copyOf(terms), Map.copyOf(fields));
  }

  static RetrievalMode mode(Map<String, String> params) {
    String v = params.get("mode");
    if (v == null || v.isBlank()) {
      throw new IllegalArgumentException("give the parameter [mode]: bm25, static, dense, maxsim or hybrid");
    }
    try {
      return RetrievalMode.parse(v);
    } catch (IndexException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
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
