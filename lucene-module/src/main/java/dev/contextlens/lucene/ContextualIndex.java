package dev.contextlens.lucene;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.store.FilterDirectory;
import org.apache.lucene.store.MMapDirectory;

/** Reading helpers shared by the indexer and the searcher. */
public final class ContextualIndex {
  private ContextualIndex() {}

  /**
   * Opens an index directory for searching with memory-mapped files. With {@code preloadVectors}, the
   * vector files (raw floats, Lucene's codes, graphs, the doc values that hold the occurrences' own
   * 8-bit codes, and small segments' compound files) are read into memory
   * as they are opened, as a long-running server wants: otherwise the first queries to touch a page
   * of the occurrence vectors pay for mapping it, which dominates their latency on an index that the
   * operating system has cached but this process has not yet read. Preloading costs about a second
   * per gigabyte of vectors and the memory of the files; a one-off query does better without it.
   */
  public static Directory openDirectory(Path path, boolean preloadVectors) throws IOException {
    MMapDirectory directory = new MMapDirectory(path);
    if (preloadVectors) {
      directory.setPreload((name, context) -> VECTOR_FILES.stream().anyMatch(name::endsWith));
    }
    return directory;
  }

  private static final List<String> VECTOR_FILES = List.of(".vec", ".veq", ".vex", ".dvd", ".cfs");

  /** Names a directory in messages: its path when it has one, else its own description. */
  static String describe(Directory directory) {
    Directory d = FilterDirectory.unwrap(directory);
    return d instanceof FSDirectory fs ? fs.getDirectory().toString() : directory.toString();
  }

  /**
   * The settings recorded in the latest commit of an index.
   *
   * @throws IndexException if there is no index or it is not a contextlens index
   */
  public static IndexSettings settings(Directory directory) throws IOException {
    if (!DirectoryReader.indexExists(directory)) {
      throw new IndexException("no index in " + directory + " (create one with the indexer first)");
    }
    return IndexSettings.fromUserData(SegmentInfos.readLatestCommit(directory).getUserData(), directory.toString());
  }

  /** The settings recorded in the commit a reader was opened on. */
  public static IndexSettings settings(DirectoryReader reader) throws IOException {
    return IndexSettings.fromUserData(reader.getIndexCommit().getUserData(), reader.directory().toString());
  }
}
