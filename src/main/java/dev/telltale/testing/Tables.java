package dev.telltale.testing;

import java.util.ArrayList;
import java.util.List;

/** Text tables of recorded lines: parsing an expected table and explaining a mismatch. */
final class Tables {
  private static final String MARK = "  > ";
  private static final String NO_MARK = "    ";

  private Tables() {}

  /** The lines of {@code table}, each with its whitespace folded; blank lines dropped. */
  static List<String> parse(String table) {
    List<String> lines = new ArrayList<>();
    table.lines().map(Tables::fold).filter(l -> !l.isEmpty()).forEach(lines::add);
    return lines;
  }

  /** Trims {@code line} and folds every run of whitespace into one space. */
  static String fold(String line) {
    StringBuilder out = new StringBuilder(line.length());
    boolean space = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (Character.isWhitespace(c)) {
        space = out.length() > 0;
      } else {
        if (space) {
          out.append(' ');
          space = false;
        }
        out.append(c);
      }
    }
    return out.toString();
  }

  /** The index of the first line where the two differ, or -1 if they are equal. */
  static int firstDifference(List<String> expected, List<String> actual) {
    int common = Math.min(expected.size(), actual.size());
    for (int i = 0; i < common; i++) {
      if (!expected.get(i).equals(actual.get(i))) {
        return i;
      }
    }
    return expected.size() == actual.size() ? -1 : common;
  }

  /**
   * Both tables, columns aligned and numbered from 1, with the line at {@code at} marked in each
   * (or the place where one ends early).
   */
  static String diff(List<String> expected, List<String> actual, int at) {
    int[] widths = widths(expected, actual);
    StringBuilder out = new StringBuilder();
    out.append("expected (").append(count(expected.size())).append("):\n");
    render(out, expected, at, widths, "(the table ends here)");
    out.append("actual (").append(count(actual.size())).append("):\n");
    render(out, actual, at, widths, "(no more events)");
    return out.toString();
  }

  /** {@code lines} as an aligned, numbered table. */
  static String render(List<String> lines) {
    StringBuilder out = new StringBuilder();
    render(out, lines, -1, widths(lines, List.of()), "");
    return out.toString();
  }

  private static void render(StringBuilder out, List<String> lines, int at, int[] widths,
      String end) {
    int digits = String.valueOf(Math.max(lines.size(), at + 1)).length();
    for (int i = 0; i < lines.size(); i++) {
      out.append(i == at ? MARK : NO_MARK).append(pad(String.valueOf(i + 1), digits, true))
          .append("  ").append(aligned(lines.get(i), widths)).append('\n');
    }
    if (at >= lines.size()) {
      out.append(MARK).append(pad(String.valueOf(lines.size() + 1), digits, true)).append("  ")
          .append(end).append('\n');
    }
  }

  /** The widths of the alias and status columns over both tables. */
  private static int[] widths(List<String> a, List<String> b) {
    int[] widths = new int[2];
    for (List<String> lines : List.of(a, b)) {
      for (String line : lines) {
        String[] cells = line.split(" ", 3);
        for (int c = 0; c < Math.min(2, cells.length - 1); c++) {
          widths[c] = Math.max(widths[c], cells[c].length());
        }
      }
    }
    return widths;
  }

  private static String aligned(String line, int[] widths) {
    String[] cells = line.split(" ", 3);
    StringBuilder out = new StringBuilder();
    for (int c = 0; c < cells.length; c++) {
      boolean last = c == cells.length - 1;
      out.append(last ? cells[c] : pad(cells[c], widths[c], false));
      if (!last) {
        out.append("  ");
      }
    }
    return out.toString();
  }

  private static String pad(String s, int width, boolean left) {
    if (s.length() >= width) {
      return s;
    }
    String spaces = " ".repeat(width - s.length());
    return left ? spaces + s : s + spaces;
  }

  private static String count(int n) {
    return n == 1 ? "1 line" : n + " lines";
  }
}
