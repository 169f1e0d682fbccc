package dev.telltale.tool;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.telltale.CallbackStatus;
import dev.telltale.NotificationFlags;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The tracer's command line: each option, how arguments are split, and every usage error. */
class OptionsTest {
  private static final String URL = "http://example.com/";

  private static Options parse(String... args) throws Options.UsageException {
    return Options.parse(args);
  }

  @Test
  void noArgumentsIsTheDemoWithEverythingShown() throws Exception {
    Options o = parse();
    assertNull(o.url());
    assertFalse(o.help() || o.insecure() || o.json() || o.progress());
    assertEquals("GET", o.method());
    assertEquals(List.of(), o.headers());
    assertNull(o.body());
    assertNull(o.output());
    assertEquals(NotificationFlags.ALL_NOTIFICATIONS, o.flags());
    assertNull(parse("", "  ").url(), "blank arguments (exec:exec's unset tracer.args) are ignored");
  }

  @Test
  void eachSwitch() throws Exception {
    assertTrue(parse("-h").help());
    assertTrue(parse("--help").help());
    assertTrue(parse("-k", URL).insecure());
    assertTrue(parse("--insecure", URL).insecure());
    assertTrue(parse("--json").json());
    assertTrue(parse("--progress", URL).progress());
    assertEquals(URL, parse("-k", URL).url());
  }

  @Test
  void methodHeadersBodyAndOutput(@TempDir Path dir) throws Exception {
    Options o = parse("-X", "PUT", "-H", "X-A: b", "--header", "X-Empty:", "-d", "hello", "-o",
        dir.resolve("out").toString(), URL);
    assertEquals("PUT", o.method());
    assertEquals(List.of(new Options.Header("X-A", "b"), new Options.Header("X-Empty", "")),
        o.headers());
    assertArrayEquals("hello".getBytes(StandardCharsets.UTF_8), o.body());
    assertEquals(dir.resolve("out"), o.output());
    assertEquals("POST", parse("-d", "x", URL).method(), "-d implies POST");
    assertEquals("PATCH", parse("--data", "x", "--request", "PATCH", URL).method());
    assertEquals("DELETE", parse("-X", "DELETE", URL).method());

    byte[] bytes = {0, 1, 2, (byte) 0xff, '\n'};
    Path file = Files.write(dir.resolve("body.bin"), bytes);
    assertArrayEquals(bytes, parse("-d", "@" + file, URL).body(), "-d @file sends its bytes");
  }

  @Test
  void flagsTakeStatusesConstantsAndHexMasksInAnyCase() throws Exception {
    assertEquals(NotificationFlags.union(NotificationFlags.SEND_REQUEST, NotificationFlags.HANDLES),
        parse("--flags", "SEND_REQUEST,HANDLES").flags());
    assertEquals(NotificationFlags.of(CallbackStatus.RESOLVING_NAME, CallbackStatus.REQUEST_ERROR),
        parse("--flags", "resolving_name, REQUEST_ERROR").flags());
    assertEquals(NotificationFlags.fromMask(0x30), parse("--flags", "0x30").flags());
    assertEquals(NotificationFlags.ALL_NOTIFICATIONS, parse("--flags", "0xFFFFFFFF").flags());
    assertEquals(NotificationFlags.ALL_COMPLETIONS, parse("--flags", "ALL_COMPLETIONS").flags());
    assertEquals(NotificationFlags.NONE, parse("--flags", "NONE").flags());
    assertEquals(NotificationFlags.union(NotificationFlags.RESOLVE_NAME,
        NotificationFlags.of(CallbackStatus.HEADERS_AVAILABLE)).mask() | 0x80,
        parse("--flags", "RESOLVE_NAME,HEADERS_AVAILABLE,0x80").flags().mask());
  }

  @Test
  void aSingleArgumentWithSpacesIsSplitWithQuotesGroupingWords() {
    // what `mvn exec:exec -Dtracer.args="..."` passes: one argument
    assertEquals(List.of("-X", "PUT", "-H", "X-A: b c", "-d", "two words", URL),
        Options.words(new String[] {" -X PUT -H 'X-A: b c' -d \"two words\" " + URL + " "}));
    assertEquals(List.of("-k", "--json"), Options.words(new String[] {"-k   --json"}));
    assertEquals(List.of(URL), Options.words(new String[] {" " + URL + " "}));
    assertEquals(List.of(), Options.words(new String[] {""}));
  }

  @Test
  void separateArgumentsAreKeptAsTheyAre() throws Exception {
    // what `java ... Tracer -H 'X-A: b c' URL` passes: real arguments, spaces included
    assertEquals(List.of("-H", "X-A: 'b c'", URL),
        Options.words(new String[] {"-H", "X-A: 'b c'", "", URL}));
    assertEquals(List.of(new Options.Header("X-A", "'b c'")),
        parse("-H", "X-A: 'b c'", URL).headers());
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "--bogus", "-x", // unknown options (case matters)
      "-X", "-H", "-d", "-o", "--flags", // a missing value
      "http://a/ http://b/", // two URLs
      "-X GE:T http://a/", "-H NoColon http://a/", "-H 'Bad Name: v' http://a/",
      "--flags BOGUS", "--flags SEND_REQUEST,,HANDLES", "--flags 0xZZ", "--flags 0x1FFFFFFFF",
      "-d @/no/such/file http://a/",
      "-o out.txt", "-X PUT", "-H 'X-A: b'", "-d hello", // request options without a URL
  })
  void usageErrorsExitWithTwoAndPrintTheUsage(String line) {
    assertThrows(Options.UsageException.class, () -> parse(line));
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    assertEquals(Tracer.USAGE, Tracer.run(new String[] {line}, out, out));
    String output = bytes.toString(StandardCharsets.UTF_8);
    assertTrue(output.startsWith("telltale: "), output);
    assertTrue(output.contains("usage: telltale [options] [URL]"), output);
  }

  @Test
  void theUsageErrorSaysWhatIsWrong() {
    assertEquals("unknown option: --bogus",
        assertThrows(Options.UsageException.class, () -> parse("--bogus")).getMessage());
    assertEquals("--flags: unknown status or flag: BOGUS",
        assertThrows(Options.UsageException.class, () -> parse("--flags", "bogus")).getMessage());
    assertEquals("-o needs a value",
        assertThrows(Options.UsageException.class, () -> parse(URL, "-o")).getMessage());
    assertEquals("-X, -H, -d and -o need a URL",
        assertThrows(Options.UsageException.class, () -> parse("-X", "PUT")).getMessage());
  }

  @Test
  void helpWinsOverMissingUrl() throws Options.UsageException {
    assertTrue(parse("-h", "-X", "PUT").help());
  }
}
