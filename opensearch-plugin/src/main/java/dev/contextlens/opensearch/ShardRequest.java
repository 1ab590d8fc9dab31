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
 * a query, with the lexicon sums of every shard of the index (the shard's own among them) so that
 * query vectors and probes come from the lexicon of the whole index.
 */
final class ShardRequest extends TransportRequest {
  final ShardId shard;
  final String command;
  final Map<String, String> params;
  final List<Lexicon.LexiconSums> lexicon;

  ShardRequest(ShardId shard, String command, Map<String, String> params, List<Lexicon.LexiconSums> lexicon) {
    this.shard = shard;
    this.command = command;
    this.params = params;
    this.lexicon = lexicon;
  }

  ShardRequest(StreamInput in) throws IOException {
    super(in);
    shard = new ShardId(in);
    command = in.readString();
    params = in.readMap(StreamInput::readString, StreamInput::readString);
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
