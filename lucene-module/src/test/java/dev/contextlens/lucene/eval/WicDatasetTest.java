package dev.contextlens.lucene.eval;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import dev.contextlens.lucene.IndexException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** {@link WicDataset}: the layout, the target spans, and every malformed case named by file and line. */
public class WicDatasetTest {
  @Rule public TemporaryFolder tmp = new TemporaryFolder();

  static final String TRAIN = """
      carry\tV\t2-1\tYou must carry your camping gear .\tSound carries well over water .
      bank\tN\t1-3\tThe bank was flooded .\tShe sat on the bank of the river .
      """;

  @Test
  public void readsSplitsWithAndWithoutGold() throws IOException {
    Path dir = tmp.getRoot().toPath();
    write(dir, "train/train.data.txt", TRAIN);
    write(dir, "train/train.gold.txt", "F\r\nT\r\n\r\n"); // CRLF and a trailing blank line
    write(dir, "test/test.data.txt", TRAIN.lines().findFirst().orElseThrow() + "\n");
    WicDataset data = WicDataset.read(dir);
    assertNull(data.dev());
    assertEquals(List.of("train", "test"), data.splits().stream().map(WicSplit::name).toList());

    WicSplit train = data.train();
    assertTrue(train.hasGold());
    assertEquals(2, train.size());
    WicPair p = train.pairs().get(0);
    assertEquals(1, p.line());
    assertEquals("carry", p.lemma());
    assertEquals("V", p.pos());
    assertEquals("carry", p.first().substring(p.firstTarget().start(), p.firstTarget().end()));
    assertEquals("carries", p.second().substring(p.secondTarget().start(), p.secondTarget().end()));
    assertEquals(new WicTarget(2, 9, 14), p.firstTarget());
    assertEquals(Boolean.FALSE, p.gold());
    assertEquals(Boolean.TRUE, train.pairs().get(1).gold());
    assertEquals(0.5, train.trueRate(), 0.0);
    assertTrue(java.util.Arrays.equals(new boolean[] {false, true}, train.labels()));

    WicSplit test = data.test();
    assertFalse(test.hasGold());
    assertNull(test.pairs().get(0).gold());
    assertTrue(Double.isNaN(test.trueRate()));
    assertThrows(IllegalStateException.class, test::labels);

    WicDataset first = data.limit(1);
    assertEquals(1, first.train().size());
    assertEquals(1, first.test().size());
    assertEquals(data, data.limit(0));
  }

  @Test
  public void aDataFileOfAnotherNameIsFoundWhenItIsTheOnlyOne() throws IOException {
    Path dir = tmp.getRoot().toPath();
    write(dir, "dev/wic-dev.data.txt", TRAIN);
    write(dir, "dev/wic-dev.gold.txt", "T\nF\n");
    WicSplit dev = WicDataset.read(dir).dev();
    assertEquals("wic-dev.data.txt", dev.data().getFileName().toString());
    assertTrue(dev.hasGold());
  }

  @Test
  public void malformedDataLinesAreNamedByFileAndLine() throws IOException {
    assertDataRejected("carry\tV\t2-1\tYou must carry your gear .\n", 1, "expected 5 tab-separated fields", "found 4");
    assertDataRejected(TRAIN + "\n" + TRAIN, 3, "expected 5 tab-separated fields", "found 1");
    assertDataRejected(TRAIN + "carry\tV\t2_1\tYou must carry .\tSound carries .\n", 3, "field 3", "\"2_1\"");
    assertDataRejected(TRAIN + "carry\tV\t2-9\tYou must carry .\tSound carries .\n", 3,
        "sentence 2", "token index 9 is past the end", "3 whitespace tokens");
    assertDataRejected("carry\tV\t0-0\t \tSound carries .\n", 1, "sentence 1", "empty");
    assertDataRejected("\tV\t0-0\tcarry it .\tSound carries .\n", 1, "lemma", "empty");
    assertDataRejected("carry\tV\t99999999999-0\tcarry it .\tSound carries .\n", 1, "too large");
  }

  @Test
  public void malformedGoldIsNamedByFileAndLine() throws IOException {
    Path dir = tmp.newFolder("bad-label").toPath();
    write(dir, "train/train.data.txt", TRAIN);
    Path gold = write(dir, "train/train.gold.txt", "T\nyes\n");
    assertMessage(assertThrows(IndexException.class, () -> WicDataset.read(dir)), gold + ":2:", "expected T or F",
        "\"yes\"");

    Path short_ = tmp.newFolder("short").toPath();
    write(short_, "train/train.data.txt", TRAIN);
    Path shortGold = write(short_, "train/train.gold.txt", "T\n");
    assertMessage(assertThrows(IndexException.class, () -> WicDataset.read(short_)), shortGold.toString(),
        "1 labels", "2 instances");
  }

  @Test
  public void missingLayoutIsExplained() throws IOException {
    Path empty = tmp.newFolder("empty").toPath();
    assertMessage(assertThrows(IndexException.class, () -> WicDataset.read(empty)), empty.toString(),
        "train/, dev/, test/");
    Path nowhere = empty.resolve("nowhere");
    assertMessage(assertThrows(IndexException.class, () -> WicDataset.read(nowhere)), nowhere.toString(),
        "not found");
    Path noData = tmp.newFolder("no-data", "train").toPath().getParent();
    assertMessage(assertThrows(IndexException.class, () -> WicDataset.read(noData)), "train", "found none");
  }

  @Test
  public void invalidUtf8IsRejected() throws IOException {
    Path dir = tmp.newFolder("latin1").toPath();
    Path data = dir.resolve("train/train.data.txt");
    Files.createDirectories(data.getParent());
    Files.write(data, "caf\u00e9\tN\t0-0\tcaf\u00e9 .\tcaf\u00e9 .\n".getBytes(StandardCharsets.ISO_8859_1));
    assertMessage(assertThrows(IndexException.class, () -> WicDataset.read(dir)), data.toString(), "UTF-8");
  }

  private void assertDataRejected(String content, int line, String... fragments) throws IOException {
    Path dir = tmp.newFolder().toPath();
    Path data = write(dir, "train/train.data.txt", content);
    assertMessage(assertThrows(IndexException.class, () -> WicDataset.read(dir)), data + ":" + line + ":", fragments);
  }

  static Path write(Path dir, String name, String content) throws IOException {
    Path file = dir.resolve(name);
    Files.createDirectories(file.getParent());
    Files.writeString(file, content, StandardCharsets.UTF_8);
    return file;
  }

  static void assertMessage(Exception e, String first, String... more) {
    assertTrue("expected \"" + first + "\" in: " + e.getMessage(), e.getMessage().contains(first));
    for (String fragment : more) {
      assertTrue("expected \"" + fragment + "\" in: " + e.getMessage(), e.getMessage().contains(fragment));
    }
  }
}
