package dev.contextlens.lucene.eval;

import dev.contextlens.analyzer.Word;
import dev.contextlens.lucene.DimensionStatistics;
import dev.contextlens.lucene.IndexException;
import dev.contextlens.lucene.SenseClustering;
import dev.contextlens.models.ContextualEncoder;
import dev.contextlens.models.EncodeRequest;
import dev.contextlens.models.EncodedText;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.IntConsumer;

/**
 * Runs WiC with sense clusters as the answer: within each split, the occurrences of one lemma (both
 * targets of every instance of that lemma) are clustered into senses by {@link SenseClustering}, and
 * an instance is answered "same sense" when its two targets fall in one cluster. The cut threshold is
 * chosen on train alone: a pair shares a cluster exactly when the threshold is below its {@link
 * SenseClustering.Hierarchy#joinHeight}, so {@link WicThreshold#fit} over the join heights finds the
 * best threshold exactly. Beside it, the pair-cosine threshold of {@link WicEvaluation}, and both again
 * on vectors standardized with the per-dimension mean and variance of every word of the train
 * sentences ({@link DimensionStatistics}). Dev and test labels only score the train-chosen thresholds.
 *
 * <p>An instance whose lemma occurs in no other instance of its split forms a group of two, where the
 * cluster answer is the cosine answer; the methods differ on lemmas with several instances. The
 * caller owns and closes the encoder.
 */
public final class WicSenseEvaluation {
  private final ContextualEncoder encoder;
  private final EncodeRequest request;

  /**
   * @param encoder the model's encoder (the caller closes it)
   * @param request the layers to evaluate and how a word's pieces are pooled
   */
  public WicSenseEvaluation(ContextualEncoder encoder, EncodeRequest request) {
    this.encoder = Objects.requireNonNull(encoder, "encoder");
    this.request = Objects.requireNonNull(request, "request");
    WicEvaluation.checkLayers(encoder, request);
  }

  /**
   * Evaluates the dataset.
   *
   * @param progress told the number of instances encoded so far, after every chunk
   * @throws IndexException if the dataset has no labelled train split, or neither dev nor test
   */
  public WicSenseResult run(WicDataset data, IntConsumer progress) {
    WicSplit train = WicEvaluation.labelledTrain(data);
    int[] layers = request.layers();
    List<WicSplit> splits = data.splits();
    DimensionStatistics.Accumulator[] words = new DimensionStatistics.Accumulator[layers.length];
    List<float[][][]> targets = new ArrayList<>();
    int done = 0;
    for (WicSplit split : splits) {
      int before = done;
      targets.add(targets(split, layers, split == train ? words : null, n -> progress.accept(before + n)));
      done += split.size();
    }
    List<WicSenseResult.Layer> out = new ArrayList<>();
    for (int l = 0; l < layers.length; l++) {
      DimensionStatistics stats = words[l].statistics();
      List<float[][]> raw = new ArrayList<>();
      List<float[][]> standardized = new ArrayList<>();
      for (float[][][] perLayer : targets) {
        raw.add(perLayer[l]);
        standardized.add(standardize(perLayer[l], stats));
      }
      WicResult.Scores cosine = scores(data, splits, cosines(raw));
      WicResult.Scores senses = scores(data, splits, joinHeights(splits, raw));
      WicResult.Scores stdCosine = scores(data, splits, cosines(standardized));
      WicResult.Scores stdSenses = scores(data, splits, joinHeights(splits, standardized));
      out.add(new WicSenseResult.Layer(layers[l], cosine, senses, stdCosine, stdSenses,
          sensesPerLemma(splits.get(0), raw.get(0), senses.threshold())));
    }
    List<WicResult.SplitSummary> summaries = new ArrayList<>();
    List<WicSenseResult.Grouping> groupings = new ArrayList<>();
    for (WicSplit s : splits) {
      summaries.add(new WicResult.SplitSummary(s.name(), s.size(), s.trueRate(), 0));
      Map<String, List<Integer>> groups = groups(s);
      groupings.add(new WicSenseResult.Grouping(s.name(), groups.size(),
          2 * groups.values().stream().mapToInt(List::size).max().orElse(0)));
    }
    return new WicSenseResult(encoder.model().id(), request.wordPooling(), summaries, groupings, out, words[0].count());
  }

  /** Per layer, the two target vectors of every instance (index 2i and 2i + 1). */
  private float[][][] targets(WicSplit split, int[] layers, DimensionStatistics.Accumulator[] words, IntConsumer progress) {
    List<WicPair> pairs = split.pairs();
    float[][][] out = new float[layers.length][2 * pairs.size()][];
    for (int from = 0; from < pairs.size(); from += WicEvaluation.CHUNK_PAIRS) {
      int to = Math.min(pairs.size(), from + WicEvaluation.CHUNK_PAIRS);
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
        WicEvaluation.checkCovered(split, p, a, p.firstTarget(), 1);
        WicEvaluation.checkCovered(split, p, b, p.secondTarget(), 2);
        for (int l = 0; l < layers.length; l++) {
          out[l][2 * i] = p.firstTarget().vector(a, layers[l]);
          out[l][2 * i + 1] = p.secondTarget().vector(b, layers[l]);
        }
      }
      if (words != null) {
        for (EncodedText t : encoded) {
          for (int l = 0; l < layers.length; l++) {
            if (words[l] == null) {
              words[l] = new DimensionStatistics.Accumulator(t.vector(0, layers[l]).length);
            }
            for (Word w : t.words()) {
              words[l].add(t.vector(w.index(), layers[l]));
            }
          }
        }
      }
      progress.accept(to);
    }
    return out;
  }

  private static float[][] standardize(float[][] vectors, DimensionStatistics stats) {
    float[][] out = new float[vectors.length][];
    for (int i = 0; i < vectors.length; i++) {
      out[i] = stats.standardize(vectors[i]);
    }
    return out;
  }

  private static List<double[]> cosines(List<float[][]> perSplit) {
    List<double[]> out = new ArrayList<>();
    for (float[][] v : perSplit) {
      double[] c = new double[v.length / 2];
      for (int i = 0; i < c.length; i++) {
        c[i] = WicEvaluation.cosine(v[2 * i], v[2 * i + 1]);
      }
      out.add(c);
    }
    return out;
  }

  /** Instances grouped by lemma, in order of first appearance. */
  static Map<String, List<Integer>> groups(WicSplit split) {
    Map<String, List<Integer>> groups = new LinkedHashMap<>();
    for (int i = 0; i < split.size(); i++) {
      groups.computeIfAbsent(split.pairs().get(i).lemma(), k -> new ArrayList<>()).add(i);
    }
    return groups;
  }

  /** Per split, each instance's join height in the hierarchy of its lemma's occurrences. */
  private static List<double[]> joinHeights(List<WicSplit> splits, List<float[][]> perSplit) {
    List<double[]> out = new ArrayList<>();
    for (int s = 0; s < splits.size(); s++) {
      float[][] v = perSplit.get(s);
      double[] heights = new double[v.length / 2];
      for (List<Integer> group : groups(splits.get(s)).values()) {
        SenseClustering.Hierarchy h = SenseClustering.hierarchy(groupVectors(v, group));
        for (int g = 0; g < group.size(); g++) {
          heights[group.get(g)] = h.joinHeight(2 * g, 2 * g + 1);
        }
      }
      out.add(heights);
    }
    return out;
  }

  private static float[][] groupVectors(float[][] v, List<Integer> group) {
    float[][] vectors = new float[2 * group.size()][];
    for (int g = 0; g < group.size(); g++) {
      vectors[2 * g] = v[2 * group.get(g)];
      vectors[2 * g + 1] = v[2 * group.get(g) + 1];
    }
    return vectors;
  }

  /** Mean number of senses per lemma of the split when cut at the threshold. */
  private static double sensesPerLemma(WicSplit split, float[][] v, double threshold) {
    Map<String, List<Integer>> groups = groups(split);
    long senses = 0;
    for (List<Integer> group : groups.values()) {
      int[] labels = SenseClustering.hierarchy(groupVectors(v, group)).cut(threshold);
      senses += java.util.Arrays.stream(labels).max().orElse(-1) + 1;
    }
    return (double) senses / groups.size();
  }

  /** Fits on train (the first split), then scores dev and test with the same threshold. */
  private static WicResult.Scores scores(WicDataset data, List<WicSplit> splits, List<double[]> values) {
    WicThreshold threshold = WicThreshold.fit(values.get(0), data.train().labels());
    double dev = Double.NaN;
    double test = Double.NaN;
    for (int s = 1; s < splits.size(); s++) {
      WicSplit split = splits.get(s);
      if (!split.hasGold() || split.size() == 0) {
        continue;
      }
      double accuracy = threshold.accuracy(values.get(s), split.labels());
      if (split == data.dev()) {
        dev = accuracy;
      } else {
        test = accuracy;
      }
    }
    return new WicResult.Scores(threshold.value(), threshold.trainAccuracy(), dev, test);
  }
}
