package dev.contextlens.lucene;

import dev.contextlens.models.ContextualEncoder;
import dev.contextlens.models.EncoderOptions;
import dev.contextlens.models.TransformerModel;
import dev.contextlens.models.vectors.ModelStaticTable;

/**
 * The real int8 all-MiniLM-L6-v2 with its encoder and static vectors, opened once per test class and
 * closed by it (LuceneTestCase classes also null the static field that holds it).
 */
final class QuantizedMiniLm implements AutoCloseable {
  final TransformerModel model;
  final ContextualEncoder encoder;
  final StaticVectors statics;

  private QuantizedMiniLm(TransformerModel model) {
    this.model = model;
    this.encoder = ContextualEncoder.open(model, EncoderOptions.defaults());
    this.statics = new StaticVectors(ModelStaticTable.of(model), model.tokenizer().unknownId());
  }

  static QuantizedMiniLm open() {
    return new QuantizedMiniLm(TransformerModel.load("all-minilm-l6-v2-q"));
  }

  @Override
  public void close() {
    encoder.close();
    model.close();
  }
}
