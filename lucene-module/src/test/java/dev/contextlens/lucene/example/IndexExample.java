package dev.contextlens.lucene.example;

// BEGIN index-example
import dev.contextlens.lucene.ContextualIndex;
import dev.contextlens.lucene.IndexOptions;
import dev.contextlens.lucene.IndexStats;
import dev.contextlens.lucene.IndexingOptions;
import dev.contextlens.lucene.IndexingResult;
import dev.contextlens.lucene.NewIndexSettings;
import dev.contextlens.lucene.OccurrenceHit;
import dev.contextlens.lucene.OccurrenceQuery;
import dev.contextlens.lucene.SourceDocument;
import java.nio.file.Path;
import java.util.List;

public class IndexExample {
  public static void main(String[] args) throws Exception {
    Path indexPath = Path.of(args[0]);
    List<SourceDocument> documents = List.of(
        new SourceDocument("1", "", "We walked along the bank of the river at dusk."),
        new SourceDocument("2", "", "The bank approved the loan on Friday."),
        new SourceDocument("3", "", "Fishermen lined the muddy bank of the stream."));

    // Creates the index (default model and settings) or opens the one that is there.
    IndexOptions forIndexing = IndexOptions.defaults().withCreate(NewIndexSettings.defaults());
    try (ContextualIndex index = ContextualIndex.open(indexPath, forIndexing)) {
      // Documents already committed are passed over, so running this again resumes.
      IndexingResult added = index.add(documents.iterator(), IndexingOptions.defaults(), progress -> {});
      System.out.println("added " + added.written().documents() + ", skipped " + added.skipped());
      index.refresh(); // searching sees the commit that add() made
      IndexStats stats = index.stats();
      System.out.println(stats.documents() + " documents, " + stats.occurrences() + " occurrences");
    }

    // Searching only: the index's own model, nothing asked of it. Closing releases everything.
    try (ContextualIndex index = ContextualIndex.open(indexPath, IndexOptions.defaults())) {
      List<OccurrenceHit> hits = index.searcher().occurrences(
          OccurrenceQuery.sameWord("bank", "Ducks swam near the bank of the lake.", 3));
      for (OccurrenceHit hit : hits) {
        System.out.printf("%s %.3f %s%n", hit.doc(), hit.score(), hit.snippet());
      }
      System.out.println(index.searcher().neighbors("river", 3));
    }
  }
}
// END index-example
