package dev.contextlens.lucene.example;

// BEGIN library-example
import dev.contextlens.lucene.ContextualIndexer;
import dev.contextlens.lucene.ContextualSearcher;
import dev.contextlens.lucene.IndexSettings;
import dev.contextlens.lucene.LexemeHit;
import dev.contextlens.lucene.OccurrenceHit;
import dev.contextlens.lucene.OccurrenceQuery;
import dev.contextlens.lucene.SourceDocument;
import dev.contextlens.lucene.StaticVectors;
import dev.contextlens.lucene.WordComparison;
import dev.contextlens.models.ContextualEncoder;
import dev.contextlens.models.EncoderOptions;
import dev.contextlens.models.TransformerModel;
import dev.contextlens.models.vectors.ModelStaticTable;
import java.nio.file.Path;
import java.util.List;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;

public class LibraryExample {
  public static void main(String[] args) throws Exception {
    Path indexPath = Path.of(args[0]);
    try (TransformerModel model = TransformerModel.load("all-minilm-l6-v2");
        ContextualEncoder encoder = ContextualEncoder.open(model, EncoderOptions.defaults());
        Directory directory = FSDirectory.open(indexPath)) {
      StaticVectors statics = new StaticVectors(ModelStaticTable.of(model), model.tokenizer().unknownId());
      IndexSettings settings = IndexSettings.defaults(model);

      // Your own IndexWriter: configure it with contextlens's codec and analyzers.
      try (IndexWriter writer = new IndexWriter(directory, ContextualIndexer.writerConfig(settings));
          ContextualIndexer indexer = new ContextualIndexer(writer, encoder, statics, settings)) {
        indexer.add(List.of(
            new SourceDocument("1", "", "We walked along the bank of the river at dusk."),
            new SourceDocument("2", "", "The bank approved the loan on Friday."),
            new SourceDocument("3", "", "Fishermen lined the muddy bank of the stream.")));
        indexer.commit(); // records the settings (model, layers, format) with the commit
      }

      try (DirectoryReader reader = DirectoryReader.open(directory)) {
        ContextualSearcher searcher = new ContextualSearcher(reader, encoder, statics);
        List<OccurrenceHit> hits = searcher.occurrences(
            OccurrenceQuery.sameWord("bank", "Ducks swam near the bank of the lake.", 3));
        for (OccurrenceHit hit : hits) {
          System.out.printf("%s %.3f %s%n", hit.doc(), hit.score(), hit.snippet());
        }
        List<LexemeHit> neighbors = searcher.neighbors("river", 3);
        WordComparison comparison = searcher.compare("bank", "The bank approved the loan.", 3);
        System.out.println(neighbors + " " + comparison.metrics());
      }
    }
  }
}
// END library-example
