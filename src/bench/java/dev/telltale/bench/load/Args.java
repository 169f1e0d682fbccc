package dev.telltale.bench.load;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;

/** The benchmark programs' {@code key=value} arguments, and their one-line JSON output. */
final class Args {
  private Args() {}

  static Map<String, String> parse(String[] args) {
    Map<String, String> a = new HashMap<>();
    for (String arg : args) {
      int eq = arg.indexOf('=');
      if (eq < 1) {
        throw new IllegalArgumentException("arguments are key=value: " + arg);
      }
      a.put(arg.substring(0, eq), arg.substring(eq + 1));
    }
    return a;
  }

  /** Prints {@code json} and appends it to the file named by {@code out=}, if any. */
  static void emit(Map<String, String> a, String json) {
    System.out.println(json);
    String out = a.get("out");
    if (out == null) {
      return;
    }
    try {
      Files.writeString(Path.of(out), json + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
