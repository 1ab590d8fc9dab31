package dev.contextlens.lucene.eval;

import dev.contextlens.lucene.IndexException;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A test collection in the BEIR layout: {@code corpus.jsonl} ({@code _id}, {@code title}, {@code
 * text}), {@code queries.jsonl} ({@code _id}, {@code text}) and {@code qrels/<split>.tsv}. The queries of
 * a split are the ones its qrels judge, as BEIR evaluates them.
 *
 * @param directory the collection's directory
 */
public record BeirDataset(Path directory) {
  /**
   * @throws IndexException if the directory does not exist or lacks {@code queries.jsonl} or {@code
   *     qrels/}
   */
  public static BeirDataset open(Path directory) {
    Path dir = directory.toAbsolutePath().normalize();
    if (!Files.isDirectory(dir)) {
      throw new IndexException("BEIR directory not found: " + dir + " (give the folder that holds corpus.jsonl,"
          + " queries.jsonl and qrels/)");
    }
    BeirDataset data = new BeirDataset(dir);
    if (!Files.isRegularFile(data.queries()) || !Files.isDirectory(dir.resolve("qrels"))) {
      throw new IndexException(dir + " is not a BEIR directory: it needs queries.jsonl and qrels/<split>.tsv");
    }
    return data;
  }

  /** {@code corpus.jsonl}. */
  public Path corpus() {
    return directory.resolve("corpus.jsonl");
  }

  /** {@code queries.jsonl}. */
  public Path queries() {
    return directory.resolve("queries.jsonl");
  }

  /**
   * {@code qrels/<split>.tsv}.
   *
   * @throws IndexException naming the splits there are if this one is missing
   */
  public Path qrels(String split) {
    Path file = directory.resolve("qrels").resolve(split + ".tsv");
    if (!Files.isRegularFile(file)) {
      throw new IndexException("no split '" + split + "' in " + directory + " (no " + file.getFileName()
          + " in qrels/; splits there: " + splits() + ")");
    }
    return file;
  }

  /** The split names, from the files {@code qrels/*.tsv}. */
  public List<String> splits() {
    TreeSet<String> names = new TreeSet<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(directory.resolve("qrels"), "*.tsv")) {
      for (Path f : files) {
        String n = f.getFileName().toString();
        names.add(n.substring(0, n.length() - ".tsv".length()));
      }
    } catch (IOException e) {
      throw new IndexException("cannot list " + directory.resolve("qrels") + ": " + e.getMessage(), e);
    }
    return List.copyOf(names);
  }

  /** The judgements of a split. */
  public Qrels readQrels(String split) {
    return QrelsReader.readBeir(qrels(split));
  }

  /**
   * The queries the qrels of a split judge, in {@code queries.jsonl} order.
   *
   * @throws IndexException if a judged query has no text in {@code queries.jsonl}
   */
  public List<Topic> readTopics(Qrels qrels) {
    List<Topic> all = TopicsReader.readBeir(queries());
    Map<String, Topic> byId = new HashMap<>();
    all.forEach(t -> byId.put(t.id(), t));
    List<String> unknown = qrels.queryIds().stream().filter(q -> !byId.containsKey(q)).toList();
    if (!unknown.isEmpty()) {
      throw new IndexException(queries() + " has no text for " + unknown.size() + " judged quer"
          + (unknown.size() == 1 ? "y" : "ies") + " (e.g. " + unknown.get(0) + ")");
    }
    List<Topic> out = new ArrayList<>();
    for (Topic t : all) {
      if (qrels.hasQuery(t.id())) {
        out.add(t);
      }
    }
    return out;
  }
}
