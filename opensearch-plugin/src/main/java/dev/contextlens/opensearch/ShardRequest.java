package dev.contextlens.opensearch;

import dev.contextlens.lucene.Lexicon;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.common.io.stream.StreamOutput;
import org.opensearch.core.index.shard.ShardId;
import org.opensearch.transport.TransportRequest;

/**
 * A request to one copy of one shard: its lexicon's sums ({@link ShardQueries#LEXICON}), or its part of
 * a query with the key of the whole index's lexicon (the stamps of every shard, {@link LexiconCache})
 * so that query vectors and probes come from the lexicon of the whole index; the lexicon sums of every
 * shard (the shard's own among them) go with it unless the node is known to hold that lexicon.
 */
final class ShardRequest extends TransportRequest {
  final ShardId shard;
  final String command;
  final Map<String, String> params;
  /** The key of the whole index's lexicon ({@link LexiconCache#key}); null for requests that need none. */
  final String lexiconKey;
  /** The sums of every shard, or empty when the node holds the lexicon of {@link #lexiconKey}. */
  final List<Lexicon.LexiconSums> lexicon;

  ShardRequest(ShardId shard, String command, Map<String, String> params) {
    this(shard, command, params, null, List.of());
  }

  ShardRequest(ShardId shard, String command, Map<String, String> params, String lexiconKey, List<Lexicon.LexiconSums> lexicon) {
    this.shard = shard;
    this.command = command;
    this.params = params;
    this.lexiconKey = lexiconKey;
    this.lexicon = lexicon;
  }

  /** This request without the sums, for a node that holds the lexicon of its key. */
  ShardRequest withoutSums() {
    return new ShardRequest(shard, command, params, lexiconKey, List.of());
  }

  ShardRequest(StreamInput in) throws IOException {
    super(in);
    shard = new ShardId(in);
    command = in.readString();
    params = in.readMap(StreamInput::readString, StreamInput::readString);
    lexiconKey = in.readOptionalString();
    int n = in.readVInt();
    lexicon = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      lexicon.add(readSums(in));
    }
  }

  @Override
  public void writeTo(StreamOutput out) throws IOException {
    super.writeTo(out);
    shard.writeTo(out);
    out.writeString(command);
    out.writeMap(params, StreamOutput::writeString, StreamOutput::writeString);
    out.writeOptionalString(lexiconKey);
    out.writeVInt(lexicon.size());
    for (Lexicon.LexiconSums s : lexicon) {
      writeSums(out, s);
    }
  }

  static void writeSums(StreamOutput out, Lexicon.LexiconSums s) throws IOException {
    out.writeVIntArray(s.layers());
    out.writeVInt(s.dims());
    out.writeStringArray(s.lexemes());
    out.writeVLongArray(s.counts());
    out.writeVInt(s.sums().length);
    for (double[] layer : s.sums()) {
      out.writeDoubleArray(layer);
    }
  }

  static Lexicon.LexiconSums readSums(StreamInput in) throws IOException {
    int[] layers = in.readVIntArray();
    int dims = in.readVInt();
    String[] lexemes = in.readStringArray();
    long[] counts = in.readVLongArray();
    double[][] sums = new double[in.readVInt()][];
    for (int l = 0; l < sums.length; l++) {
      sums[l] = in.readDoubleArray();
    }
    return new Lexicon.LexiconSums(layers, dims, lexemes, counts, sums);
  }
}
