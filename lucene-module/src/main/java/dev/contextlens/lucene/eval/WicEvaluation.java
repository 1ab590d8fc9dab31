package dev.contextlens.lucene.eval;

import dev.contextlens.analyzer.Tokenization;
import dev.contextlens.analyzer.Word;
import dev.contextlens.lucene.IndexException;
import dev.contextlens.lucene.StaticVectors;
import dev.contextlens.models.ContextualEncoder;
import dev.contextlens.models.EncodeRequest;
import dev.contextlens.models.EncodedText;
import dev.contextlens.models.vectors.ModelStaticTable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.IntConsumer;

/**
 * Runs the WiC test with a model's contextual vectors: for every instance and layer, the cosine of
 * the target's vectors in its two sentences (the target is found by character span, see {@link
 * WicTarget}); per layer a threshold fitted on the train split alone ({@link WicThreshold#fit}) and
 * applied unchanged to dev and test. Dev and test labels are read only to score those fixed
 * thresholds, never to choose them. Two static baselines use the model's own input-embedding table
 * (see {@link WicResult}).
 *
 * <p>Every sentence is encoded once for all requested layers, {@value #CHUNK_PAIRS} instances (twice
 * as many sentences) per {@link ContextualEncoder#encode} call, so the encoder batches them while only
 * the cosines are kept. The caller owns and closes the encoder.
 */
public final class WicEvaluation {
  /** Instances encoded per call to the encoder. */
  public static final int CHUNK_PAIRS = 256;

  private final ContextualEncoder encoder;
  private final EncodeRequest request;
  private final StaticVectors statics;

  /**
   * @param encoder the model's encoder (the caller closes it)
   * @param request the layers to evaluate and how a word's pieces are pooled
   */
  public WicEvaluation(ContextualEncoder encoder, EncodeRequest request) {
    this.encoder = Objects.requireNonNull(encoder, "encoder");
    this.request = Objects.requireNonNull(request, "request");
    checkLayers(encoder, request);
    this.statics = new StaticVectors(ModelStaticTable.of(encoder.model()), encoder.model().tokenizer().unknownId());
  }

  /** Evaluates the dataset; see {@link #run(WicDataset, IntConsumer)}. */
  public WicResult run(WicDataset data) {
    return run(data, done -> {});
  }

  /**
   * Evaluates the dataset.
   *
   * @param progress told the number of instances encoded so far, after every chunk
   * @throws IndexException if the dataset has no train split with gold labels, or neither a dev nor a
   *     test split
   */
  public WicResult run(WicDataset data, IntConsumer progress) {
    WicSplit train = labelledTrain(data);
    int[] layers = request.layers();
    List<WicSplit> splits = data.splits();
    List<Cosines> cosines = new ArrayList<>();
    int[] done = {0};
    for (WicSplit split : splits) {
      cosines.add(cosines(split, layers, n -> progress.accept(done[0] + n)));
      done[0] += split.size();
    }

    List<WicResult.Layer> layerResults = new ArrayList<>(layers.length);
    for (int l = 0; l < layers.length; l++) {
      final int index = l;
      layerResults.add(new WicResult.Layer(layers[l], scores(data, splits, cosines, c -> c.contextual[index])));
    }
    WicResult.Scores lemma = scores(data, splits, cosines, c -> c.staticLemma);
    WicResult.Scores surface = scores(data, splits, cosines, c -> c.staticSurface);
    List<WicResult.SplitSummary> summaries = new ArrayList<>();
    for (int s = 0; s < splits.size(); s++) {
      summaries.add(new WicResult.SplitSummary(splits.get(s).name(), splits.get(s).size(), splits.get(s).trueRate(),
          cosines.get(s).splitTargets));
    }
    return new WicResult(encoder.model().id(), request.wordPooling(), summaries, layerResults, lemma, surface,
        bestByDev(layerResults));
  }

  /** Fits on train (always the first split), then scores dev and test with the same threshold. */
  private static WicResult.Scores scores(
      WicDataset data, List<WicSplit> splits, List<Cosines> cosines, Function<Cosines, double[]> pick) {
    WicThreshold threshold = WicThreshold.fit(pick.apply(cosines.get(0)), data.train().labels());
    double dev = Double.NaN;
    double test = Double.NaN;
    for (int s = 1; s < splits.size(); s++) {
      WicSplit split = splits.get(s);
      if (!split.hasGold() || split.size() == 0) {
        continue;
      }
      double accuracy = threshold.accuracy(pick.apply(cosines.get(s)), split.labels());
      if (split == data.dev()) {
        dev = accuracy;
      } else {
        test = accuracy;
      }
    }
    return new WicResult.Scores(threshold.value(), threshold.trainAccuracy(), dev, test);
  }

  private static int bestByDev(List<WicResult.Layer> layers) {
    int best = -1;
    double bestAccuracy = Double.NEGATIVE_INFINITY;
    for (WicResult.Layer l : layers) {
      double a = l.scores().devAccuracy();
      if (!Double.isNaN(a) && a > bestAccuracy) {
        bestAccuracy = a;
        best = l.layer();
      }
    }
    return best;
  }

  /** The cosines of one split: per layer, and for both static baselines. */
  private static final class Cosines {
    final double[][] contextual;
    final double[] staticLemma;
    final double[] staticSurface;
    int splitTargets;

    Cosines(int layers, int pairs) {
      contextual = new double[layers][pairs];
      staticLemma = new double[pairs];
      staticSurface = new double[pairs];
    }
  }

  private Cosines cosines(WicSplit split, int[] layers, IntConsumer progress) {
    List<WicPair> pairs = split.pairs();
    Cosines out = new Cosines(layers.length, pairs.size());
    for (int from = 0; from < pairs.size(); from += CHUNK_PAIRS) {
      int to = Math.min(pairs.size(), from + CHUNK_PAIRS);
      List<String> sentences = new ArrayList<>(2 * (to - from));
      for (WicPair p : pairs.subList(from, to)) {
        sentences.add(p.first());
        sentences.add(p.second());
      }
      List<EncodedText> encoded = encoder.encode(sentences, request);
      for (int i = from; i < to; i++) {
        WicPair p = pairs.get(i);
        EncodedText a = encoded.get(2 * (i - from));
        EncodedText b = encoded.get(2 * (i - from) + 1);
        checkCovered(split, p, a, p.firstTarget(), 1);
        checkCovered(split, p, b, p.secondTarget(), 2);
        if (p.firstTarget().words(a.words()).size() > 1 || p.secondTarget().words(b.words()).size() > 1) {
          out.splitTargets++;
        }
        for (int l = 0; l < layers.length; l++) {
          out.contextual[l][i] = cosine(p.firstTarget().vector(a, layers[l]), p.secondTarget().vector(b, layers[l]));
        }
        float[] lemma = statics.of(p.lemma());
        out.staticLemma[i] = cosine(lemma, statics.of(p.lemma()));
        out.staticSurface[i] = cosine(staticVector(a.tokenization(), p.firstTarget()),
            staticVector(b.tokenization(), p.secondTarget()));
      }
      progress.accept(to);
    }
    return out;
  }

  static void checkCovered(WicSplit split, WicPair p, EncodedText text, WicTarget target, int which) {
    if (target.words(text.words()).isEmpty()) {
      throw new IndexException(split.data() + ":" + p.line() + ": the model has no word at token " + target.token()
          + " (\"" + text.tokenization().text().substring(target.start(), target.end()) + "\") of sentence " + which
          + "; its tokenizer drops those characters");
    }
  }

  /** The static vector of the target's words as written (pooled like the contextual ones); may be null. */
  private float[] staticVector(Tokenization t, WicTarget target) {
    List<float[]> vectors = new ArrayList<>();
    for (Word w : target.words(t.words())) {
      float[] v = statics.of(t, w);
      if (v != null) {
        vectors.add(v);
      }
    }
    return WicTarget.pool(vectors);
  }

  /**
   * Cosine of two vectors in double precision. Equal arrays (both null included: the same missing
   * vector) give exactly 1, so identical static vectors never differ by rounding; a zero or missing
   * vector against another gives 0.
   */
  static double cosine(float[] a, float[] b) {
    if (Arrays.equals(a, b)) {
      return 1.0;
    }
    if (a == null || b == null) {
      return 0.0;
    }
    double dot = 0;
    double na = 0;
    double nb = 0;
    for (int i = 0; i < a.length; i++) {
      dot += (double) a[i] * b[i];
      na += (double) a[i] * a[i];
      nb += (double) b[i] * b[i];
    }
    return na == 0 || nb == 0 ? 0.0 : dot / Math.sqrt(na * nb);
  }

  /** Refuses a layer the encoder's model does not have. */
  static void checkLayers(ContextualEncoder encoder, EncodeRequest request) {
    int last = encoder.model().layers();
    for (int layer : request.layers()) {
      if (layer > last) {
        throw new IndexException("layer " + layer + " does not exist: model " + encoder.model().id()
            + " has layers 0.." + last);
      }
    }
  }

  /**
   * The dataset's train split, refusing a dataset without a labelled train split or without dev and
   * test: thresholds are chosen on train and reported on the others.
   */
  static WicSplit labelledTrain(WicDataset data) {
    WicSplit train = data.train();
    if (train == null || !train.hasGold() || train.size() == 0) {
      throw new IndexException(data.directory() + ": the threshold is chosen on train, so train/ needs a"
          + " *.data.txt with instances and its *.gold.txt");
    }
    if (data.dev() == null && data.test() == null) {
      throw new IndexException(data.directory() + " has no dev/ or test/ split to report accuracy on");
    }
    return train;
  }
}
