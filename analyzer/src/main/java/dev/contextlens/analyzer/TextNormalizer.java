package dev.contextlens.analyzer;

import com.fasterxml.jackson.databind.JsonNode;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * The normalizer section of a tokenizer.json applied in Java to one word's surface text. It is used
 * only where the tokenizer cannot spell the word itself (its pieces include the unknown piece), so the
 * lexeme of such a word is normalized the way the tokenizer normalizes its input. Supported steps:
 * BertNormalizer, Lowercase, StripAccents, NFC/NFD/NFKC/NFKD, Strip, Replace, Precompiled (as NFKC)
 * and Sequence; other steps (Prepend, ByteLevel) do not change a word's spelling and are skipped.
 */
final class TextNormalizer {
  private static final Pattern MARKS = Pattern.compile("\\p{Mn}+");

  private final UnaryOperator<String> steps;

  private TextNormalizer(UnaryOperator<String> steps) {
    this.steps = steps;
  }

  /** Builds the normalizer from tokenizer.json's {@code normalizer} node (null or missing: identity). */
  static TextNormalizer fromConfig(JsonNode normalizer) {
    return new TextNormalizer(step(normalizer));
  }

  String normalize(String surface) {
    return steps.apply(surface);
  }

  private static UnaryOperator<String> step(JsonNode node) {
    if (node == null || node.isNull() || !node.has("type")) {
      return s -> s;
    }
    return switch (node.get("type").asText()) {
      case "BertNormalizer" -> bert(node);
      case "Lowercase" -> s -> s.toLowerCase(Locale.ROOT);
      case "StripAccents" -> TextNormalizer::stripAccents;
      case "NFC" -> s -> Normalizer.normalize(s, Normalizer.Form.NFC);
      case "NFD" -> s -> Normalizer.normalize(s, Normalizer.Form.NFD);
      case "NFKC", "Precompiled" -> s -> Normalizer.normalize(s, Normalizer.Form.NFKC);
      case "NFKD" -> s -> Normalizer.normalize(s, Normalizer.Form.NFKD);
      case "Strip" -> TextNormalizer::strip;
      case "Replace" -> replace(node);
      case "Sequence" -> sequence(node.get("normalizers"));
      default -> s -> s;
    };
  }

  private static UnaryOperator<String> bert(JsonNode node) {
    boolean lowercase = node.path("lowercase").asBoolean(true);
    JsonNode strip = node.get("strip_accents");
    boolean stripAccents = strip == null || strip.isNull() ? lowercase : strip.asBoolean();
    boolean cleanText = node.path("clean_text").asBoolean(true);
    return s -> {
      String out = cleanText ? clean(s) : s;
      if (stripAccents) {
        out = stripAccents(out);
      }
      return lowercase ? out.toLowerCase(Locale.ROOT) : out;
    };
  }

  private static UnaryOperator<String> sequence(JsonNode normalizers) {
    List<UnaryOperator<String>> list = new ArrayList<>();
    if (normalizers != null) {
      normalizers.forEach(n -> list.add(step(n)));
    }
    return s -> {
      String out = s;
      for (UnaryOperator<String> op : list) {
        out = op.apply(out);
      }
      return out;
    };
  }

  private static UnaryOperator<String> replace(JsonNode node) {
    JsonNode pattern = node.path("pattern");
    String content = node.path("content").asText("");
    if (pattern.has("String")) {
      String literal = pattern.get("String").asText();
      return s -> s.replace(literal, content);
    }
    if (pattern.has("Regex")) {
      Pattern regex = Pattern.compile(pattern.get("Regex").asText());
      return s -> regex.matcher(s).replaceAll(java.util.regex.Matcher.quoteReplacement(content));
    }
    return s -> s;
  }

  private static String stripAccents(String s) {
    return MARKS.matcher(Normalizer.normalize(s, Normalizer.Form.NFD)).replaceAll("");
  }

  private static String strip(String s) {
    return s.strip();
  }

  /** As BERT's clean_text: drops NUL, U+FFFD and control chars, maps whitespace to a space. */
  private static String clean(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      i += Character.charCount(cp);
      if (cp == 0 || cp == 0xFFFD) {
        continue;
      }
      if (cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r'
          || Character.getType(cp) == Character.SPACE_SEPARATOR) {
        sb.append(' ');
        continue;
      }
      int type = Character.getType(cp);
      if (type == Character.CONTROL || type == Character.FORMAT) {
        continue;
      }
      sb.appendCodePoint(cp);
    }
    return sb.toString();
  }
}
