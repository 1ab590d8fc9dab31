package dev.contextlens.opensearch;

import dev.contextlens.lucene.Lexicon;
import java.io.IOException;
import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.common.io.stream.StreamOutput;
import org.opensearch.core.transport.TransportResponse;

/**
 * One shard copy's answer: for {@link ShardQueries#LEXICON} its stamp ({@link LexiconCache}) and,
 * unless the coordinator holds them for that stamp, its lexicon's sums with its document and
 * occurrence counts; for a query its part, as the JSON of lucene-module's result records ({@link
 * ShardQueries#PARTS}), which the coordinator merges with lucene-module's merge step.
 */
final class ShardResponse extends TransportResponse {
  final Lexicon.LexiconSums lexicon;
  final long documents;
  final long occurrences;
  final String part;
  final String stamp;

  ShardResponse(Lexicon.LexiconSums lexicon, long documents, long occurrences, String part) {
    this(null, lexicon, documents, occurrences, part);
  }

  ShardResponse(String stamp, Lexicon.LexiconSums lexicon, long documents, long occurrences, String part) {
    this.stamp = stamp;
    this.lexicon = lexicon;
    this.documents = documents;
    this.occurrences = occurrences;
    this.part = part;
  }

  ShardResponse(StreamInput in) throws IOException {
    super(in);
    lexicon = in.readBoolean() ? ShardRequest.readSums(in) : null;
    documents = in.readVLong();
    occurrences = in.readVLong();
    part = in.readOptionalString();
    stamp = in.readOptionalString();
  }

  @Override
  public void writeTo(StreamOutput out) throws IOException {
    out.writeBoolean(lexicon != null);
    if (lexicon != null) {
      ShardRequest.writeSums(out, lexicon);
    }
    out.writeVLong(documents);
    out.writeVLong(occurrences);
    out.writeOptionalString(part);
    out.writeOptionalString(stamp);
  }
}
