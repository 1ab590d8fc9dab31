package dev.contextlens.opensearch;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.opensearch.cluster.metadata.IndexMetadata;
import org.opensearch.cluster.metadata.IndexNameExpressionResolver;
import org.opensearch.cluster.node.DiscoveryNodes;
import org.opensearch.cluster.service.ClusterService;
import org.opensearch.common.settings.ClusterSettings;
import org.opensearch.common.settings.IndexScopedSettings;
import org.opensearch.common.settings.Setting;
import org.opensearch.common.settings.Settings;
import org.opensearch.common.settings.SettingsFilter;
import org.opensearch.core.common.io.stream.NamedWriteableRegistry;
import org.opensearch.core.xcontent.NamedXContentRegistry;
import org.opensearch.env.Environment;
import org.opensearch.env.NodeEnvironment;
import org.opensearch.index.IndexSettings;
import org.opensearch.index.codec.CodecServiceFactory;
import org.opensearch.index.mapper.Mapper;
import org.opensearch.ingest.Processor;
import org.opensearch.plugins.ActionPlugin;
import org.opensearch.plugins.EnginePlugin;
import org.opensearch.plugins.IngestPlugin;
import org.opensearch.plugins.MapperPlugin;
import org.opensearch.plugins.Plugin;
import org.opensearch.repositories.RepositoriesService;
import org.opensearch.rest.RestController;
import org.opensearch.rest.RestHandler;
import org.opensearch.script.ScriptService;
import org.opensearch.threadpool.ThreadPool;
import org.opensearch.transport.client.Client;
import org.opensearch.watcher.ResourceWatcherService;

/**
 * contextlens inside OpenSearch, one class per extension point: the {@code index.contextlens.*}
 * settings ({@link ContextlensSettings}), the codec of contextlens indexes ({@link
 * ContextlensCodecService}), the {@code contextlens} field type ({@link ContextlensFieldMapper}), the
 * {@code contextlens_encode} ingest processor ({@link EncodeProcessor}), the REST handler ({@link
 * RestContextlensAction}) and the transport action that fans out to the shards and merges ({@link
 * TransportContextlensQueryAction}). The node's models ({@link ContextlensModels}) are closed with
 * the plugin.
 */
public final class ContextlensPlugin extends Plugin implements ActionPlugin, EnginePlugin, IngestPlugin, MapperPlugin {
  private final ContextlensModels models = new ContextlensModels();

  @Override
  public List<Setting<?>> getSettings() {
    return ContextlensSettings.all();
  }

  @Override
  public Collection<Object> createComponents(Client client, ClusterService clusterService, ThreadPool threadPool,
      ResourceWatcherService resourceWatcherService, ScriptService scriptService, NamedXContentRegistry xContentRegistry,
      Environment environment, NodeEnvironment nodeEnvironment, NamedWriteableRegistry namedWriteableRegistry,
      IndexNameExpressionResolver indexNameExpressionResolver, Supplier<RepositoriesService> repositoriesServiceSupplier) {
    return List.of(models);
  }

  @Override
  public Optional<CodecServiceFactory> getCustomCodecServiceFactory(IndexSettings indexSettings) {
    if (!ContextlensSettings.enabled(indexSettings.getSettings())) {
      return Optional.empty();
    }
    return Optional.of(config -> new ContextlensCodecService(config, models.forIndex(indexSettings.getSettings()).settings()));
  }

  @Override
  public Map<String, Mapper.TypeParser> getMappers() {
    return Map.of(ContextlensFieldMapper.CONTENT_TYPE, ContextlensFieldMapper.parser(models));
  }

  @Override
  public Map<String, Processor.Factory> getProcessors(Processor.Parameters parameters) {
    ClusterService cluster = parameters.ingestService.getClusterService();
    return Map.of(EncodeProcessor.TYPE, new EncodeProcessor.Factory(index -> {
      IndexMetadata metadata = cluster.state().metadata().index(index);
      return metadata == null ? null : metadata.getSettings();
    }, models));
  }

  @Override
  public List<ActionHandler<? extends org.opensearch.action.ActionRequest, ? extends org.opensearch.core.action.ActionResponse>> getActions() {
    return List.of(new ActionHandler<>(ContextlensQueryAction.INSTANCE, TransportContextlensQueryAction.class));
  }

  @Override
  public List<RestHandler> getRestHandlers(Settings settings, RestController restController, ClusterSettings clusterSettings,
      IndexScopedSettings indexScopedSettings, SettingsFilter settingsFilter,
      IndexNameExpressionResolver indexNameExpressionResolver, Supplier<DiscoveryNodes> nodesInCluster) {
    return List.of(new RestContextlensAction());
  }

  @Override
  public void close() {
    models.close();
  }
}
