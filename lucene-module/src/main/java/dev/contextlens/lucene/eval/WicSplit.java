package dev.contextlens.lucene.eval;

import java.nio.file.Path;
import java.util.List;

/**
 * One split of a WiC dataset: its instances in file order.
 *
 * @param name {@code train}, {@code dev} or {@code test}
 * @param data the {@code *.data.txt} file it was read from
 * @param gold the {@code *.gold.txt} file, or null when the split has none
 * @param pairs the instances; each carries its label when {@code gold} is not null
 */
public record WicSplit(String name, Path data, Path gold, List<WicPair> pairs) {
  public WicSplit {
    pairs = List.copyOf(pairs);
  }

  /** True when every instance has a gold label. */
  public boolean hasGold() {
    return gold != null;
  }

  public int size() {
    return pairs.size();
  }

  /** The labels in order (true = same sense). */
  public boolean[] labels() {
    if (!hasGold()) {
      throw new IllegalStateException("the " + name + " split (" + data + ") has no gold labels");
    }
    boolean[] out = new boolean[pairs.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = pairs.get(i).gold();
    }
    return out;
  }

  /** Fraction of same-sense ({@code T}) instances; NaN without gold or instances. */
  public double trueRate() {
    if (!hasGold() || pairs.isEmpty()) {
      return Double.NaN;
    }
    int t = 0;
    for (WicPair p : pairs) {
      t += p.gold() ? 1 : 0;
    }
    return (double) t / pairs.size();
  }

  /** The first {@code n} instances (all when {@code n} is at least the size). */
  public WicSplit first(int n) {
    return n >= pairs.size() ? this : new WicSplit(name, data, gold, pairs.subList(0, n));
  }
}
