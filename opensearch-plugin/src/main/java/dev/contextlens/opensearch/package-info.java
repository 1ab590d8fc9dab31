/**
 * contextlens as an OpenSearch 3.9 plugin, one class per extension point (as the k-NN plugin lays
 * its own out): {@link dev.contextlens.opensearch.ContextlensSettings} ({@code index.contextlens.*},
 * final), {@link dev.contextlens.opensearch.ContextlensCodecService} (lucene-module's codec for
 * contextlens indexes), {@link dev.contextlens.opensearch.ContextlensFieldMapper} (the {@code
 * contextlens} field: an encoded document becomes the Lucene block of a plain contextlens index, its
 * occurrences nested docs), {@link dev.contextlens.opensearch.EncodeProcessor} (the {@code
 * contextlens_encode} ingest processor: encodes once, before routing and replication), {@link
 * dev.contextlens.opensearch.RestContextlensAction} and {@link
 * dev.contextlens.opensearch.TransportContextlensQueryAction} ({@code /{index}/_contextlens/{command}}:
 * fan-out to one copy of every shard, merge with lucene-module's merge step, {@link
 * dev.contextlens.opensearch.ShardQueries}).
 */
package dev.contextlens.opensearch;
