package dev.contextlens.lucene;

import dev.contextlens.models.ContextualEncoder;
import dev.contextlens.models.EncoderOptions;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.store.Directory;

/**
 * When the pipeline stops on an error, no encoding call still runs inside ONNX Runtime: the caller
 * can close the encoder at once (closing it under a running call crashed the JVM).
 */
public class IndexingPipelineTest extends QuantizedMiniLmTestCase {



  public void testAnInputErrorReturnsOnlyOnceNoEncodingCallRuns() throws Exception {
    // documents of 40 demo paragraphs each, so that each batch is still in ONNX Runtime when the
    // input fails right after it was handed to an encoding thread
    List<SourceDocument> demo = DemoCorpus.documents();
    List<SourceDocument> docs = new ArrayList<>();
    for (int d = 0; d < 4; d++) {
      StringBuilder text = new StringBuilder();
      for (int p = 0; p < 40; p++) {
        text.append(demo.get((d * 40 + p) % demo.size()).text()).append(' ');
      }
      docs.add(new SourceDocument("long-" + d, "", text.toString()));
    }
    Iterator<SourceDocument> failing = new Iterator<>() {
      int next;

      @Override
      public boolean hasNext() {
        return true;
      }

      @Override
      public SourceDocument next() {
        if (next == docs.size()) {
          throw new IllegalStateException("bad input at document " + (next + 1));
        }
        return docs.get(next++);
      }
    };
    try (Directory dir = newFSDirectory(createTempDir())) {
      ContextualEncoder encoder = ContextualEncoder.open(lm.model, EncoderOptions.defaults());
      try (ContextualIndexer indexer = ContextualIndexer.open(dir, encoder, lm.statics, IndexSettings.defaults(lm.model))) {
        // two batches of two go to the two encoding threads, then the input fails
        IllegalStateException e = expectThrows(IllegalStateException.class,
            () -> IndexingPipeline.run(indexer, failing, 2, 0, 2, p -> {}));
        assertEquals("bad input at document 5", e.getMessage());
        for (Map.Entry<Thread, StackTraceElement[]> t : Thread.getAllStackTraces().entrySet()) {
          if (t.getKey().getName().startsWith("contextlens-encoder-")) {
            for (StackTraceElement frame : t.getValue()) {
              assertFalse(t.getKey().getName() + " still encodes: " + frame,
                  frame.getClassName().startsWith("ai.onnxruntime") || frame.getClassName().startsWith("dev.contextlens.models"));
            }
          }
        }
      } finally {
        encoder.close(); // the native session goes; a call still running would crash the JVM
      }
      try (DirectoryReader reader = DirectoryReader.open(dir)) {
        // nothing was written: the failure came before the first batch was back
        assertEquals(0, new ContextualSearcher(reader, lm.encoder, lm.statics).documentCount());
      }
    }
  }
}
