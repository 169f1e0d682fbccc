package dev.telltale.internal.auth;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Parses challenge fields (RFC 9110 §11.3, §11.6.1):
 *
 * <pre>
 * challenge  = auth-scheme [ 1*SP ( token68 / #auth-param ) ]
 * auth-param = token BWS "=" BWS ( token / quoted-string )
 * </pre>
 *
 * <p>The grammar is comma-separated at two levels (challenges, and the params of one challenge),
 * so after each comma the parser looks ahead: {@code token BWS "="} continues the current
 * challenge, anything else starts the next one. A field value that breaks the grammar ends the
 * parse of that value: the challenges before the damage are kept, since a server that sends one
 * bad challenge beside a good one should still be answerable. Pure: strings in, records out.
 */
public final class ChallengeParser {
  private final String s;
  private int pos;

  private ChallengeParser(String s) {
    this.s = s;
  }

  /** Every challenge in every value of the field, in order. */
  public static List<Challenge> parse(List<String> fieldValues) {
    List<Challenge> all = new ArrayList<>();
    for (String value : fieldValues) {
      new ChallengeParser(value).parseInto(all);
    }
    return all;
  }

  /** The challenges of a single field value. */
  public static List<Challenge> parse(String fieldValue) {
    return parse(List.of(fieldValue));
  }

  private void parseInto(List<Challenge> out) {
    while (true) {
      skipListSeparators();
      if (pos >= s.length()) {
        return;
      }
      String scheme = token();
      if (scheme.isEmpty()) {
        return; // not a token where a scheme must start: the rest is unreadable
      }
      Challenge challenge = afterScheme(scheme);
      if (challenge == null) {
        return;
      }
      out.add(challenge);
    }
  }

  /** The rest of a challenge whose scheme was read; null if it is malformed. */
  private Challenge afterScheme(String scheme) {
    int spaces = skipWhitespace();
    if (pos >= s.length() || s.charAt(pos) == ',') {
      return new Challenge(scheme, null, Map.of());
    }
    if (spaces == 0) {
      return null; // RFC 9110: the scheme and what follows are separated by at least one SP
    }
    String token68 = token68();
    if (token68 != null) {
      return new Challenge(scheme, token68, Map.of());
    }
    Map<String, String> params = new LinkedHashMap<>();
    while (true) {
      String name = token();
      skipWhitespace();
      if (name.isEmpty() || pos >= s.length() || s.charAt(pos) != '=') {
        return null;
      }
      pos++;
      skipWhitespace();
      String value = pos < s.length() && s.charAt(pos) == '"' ? quotedString() : token();
      if (value == null) {
        return null;
      }
      params.putIfAbsent(name.toLowerCase(Locale.ROOT), value);
      skipWhitespace();
      if (pos >= s.length() || !nextIsParam()) {
        return new Challenge(scheme, null, params);
      }
    }
  }

  /**
   * At a comma (or the end): whether the next list element is another auth-param of the current
   * challenge; if so, moves to it.
   */
  private boolean nextIsParam() {
    if (s.charAt(pos) != ',') {
      return false;
    }
    int mark = pos;
    skipListSeparators();
    int start = pos;
    String name = token();
    skipWhitespace();
    boolean param = !name.isEmpty() && pos < s.length() && s.charAt(pos) == '=';
    pos = param ? start : mark;
    return param;
  }

  /** A token68 ending the challenge, or null (position unchanged) if this is a param list. */
  private String token68() {
    int start = pos;
    while (pos < s.length() && isToken68Char(s.charAt(pos))) {
      pos++;
    }
    if (pos == start) {
      return null;
    }
    while (pos < s.length() && s.charAt(pos) == '=') {
      pos++;
    }
    int end = pos;
    skipWhitespace();
    if (pos >= s.length() || s.charAt(pos) == ',') {
      return s.substring(start, end);
    }
    pos = start;
    return null;
  }

  private String token() {
    int start = pos;
    while (pos < s.length() && isTchar(s.charAt(pos))) {
      pos++;
    }
    return s.substring(start, pos);
  }

  /** RFC 9110 §5.6.4; null if the closing quote is missing. */
  private String quotedString() {
    StringBuilder value = new StringBuilder();
    pos++; // the opening quote
    while (pos < s.length()) {
      char c = s.charAt(pos++);
      if (c == '"') {
        return value.toString();
      }
      if (c == '\\') {
        if (pos >= s.length()) {
          return null;
        }
        c = s.charAt(pos++);
      }
      value.append(c);
    }
    return null;
  }

  private int skipWhitespace() {
    int start = pos;
    while (pos < s.length() && (s.charAt(pos) == ' ' || s.charAt(pos) == '\t')) {
      pos++;
    }
    return pos - start;
  }

  /** Empty list elements are allowed (RFC 9110 §5.6.1): skip commas and whitespace. */
  private void skipListSeparators() {
    while (pos < s.length() && (s.charAt(pos) == ',' || s.charAt(pos) == ' ' || s.charAt(pos) == '\t')) {
      pos++;
    }
  }

  private static boolean isTchar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
        || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
  }

  private static boolean isToken68Char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
        || "-._~+/".indexOf(c) >= 0;
  }
}
