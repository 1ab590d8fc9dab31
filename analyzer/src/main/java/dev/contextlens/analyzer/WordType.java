package dev.contextlens.analyzer;

/**
 * Coarse class of a word, decided from its characters, so callers can skip punctuation without
 * losing it from the token stream.
 */
public enum WordType {
  /** Letters (possibly with digits and marks). */
  WORD("<WORD>"),
  /** Digits only. */
  NUMBER("<NUM>"),
  /** Ideographic script (CJK, Kana, Hangul syllables): the tokenizer splits these per character. */
  IDEOGRAPHIC("<IDEOGRAPHIC>"),
  /** Pictographs and other symbols such as emoji. */
  SYMBOL("<SYMBOL>"),
  /** Punctuation, currency, math and modifier symbols only. */
  PUNCTUATION("<PUNCT>");

  private final String label;

  WordType(String label) {
    this.label = label;
  }

  /** The label used as Lucene token type, e.g. {@code <PUNCT>}. */
  public String label() {
    return label;
  }

  /** Classifies a word by its surface text (at least one char). */
  public static WordType of(CharSequence surface) {
    boolean allDigits = true;
    boolean allPunct = true;
    boolean anySymbol = false;
    boolean anyIdeo = false;
    boolean anyLetter = false;
    for (int i = 0; i < surface.length(); ) {
      int cp = Character.codePointAt(surface, i);
      i += Character.charCount(cp);
      int type = Character.getType(cp);
      if (!Character.isDigit(cp)) {
        allDigits = false;
      }
      if (!isPunctuation(type)) {
        allPunct = false;
      }
      if (type == Character.OTHER_SYMBOL) {
        anySymbol = true;
      }
      if (Character.isIdeographic(cp) || isKanaOrHangul(cp)) {
        anyIdeo = true;
      } else if (Character.isLetter(cp)) {
        anyLetter = true;
      }
    }
    if (allDigits && surface.length() > 0) {
      return NUMBER;
    }
    if (allPunct) {
      return PUNCTUATION;
    }
    if (anyIdeo && !anyLetter) {
      return IDEOGRAPHIC;
    }
    if (anySymbol && !anyLetter) {
      return SYMBOL;
    }
    return WORD;
  }

  private static boolean isPunctuation(int type) {
    return switch (type) {
      case Character.CONNECTOR_PUNCTUATION,
          Character.DASH_PUNCTUATION,
          Character.START_PUNCTUATION,
          Character.END_PUNCTUATION,
          Character.INITIAL_QUOTE_PUNCTUATION,
          Character.FINAL_QUOTE_PUNCTUATION,
          Character.OTHER_PUNCTUATION,
          Character.MATH_SYMBOL,
          Character.CURRENCY_SYMBOL,
          Character.MODIFIER_SYMBOL -> true;
      default -> false;
    };
  }

  private static boolean isKanaOrHangul(int cp) {
    Character.UnicodeScript script = Character.UnicodeScript.of(cp);
    return script == Character.UnicodeScript.HIRAGANA
        || script == Character.UnicodeScript.KATAKANA
        || script == Character.UnicodeScript.HANGUL
        || script == Character.UnicodeScript.HAN;
  }
}
