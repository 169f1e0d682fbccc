package dev.telltale.tool;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.telltale.CallbackStatus;
import dev.telltale.NotificationFlags;
import dev.telltale.ProxySettings;
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
    assertNull(o.proxy());
    assertEquals(ProxySettings.none(), o.proxyFor(true));
    assertNull(o.user());
    assertNull(o.proxyUser());
    assertFalse(o.basic() || o.compressed() || o.cookies());
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
  void proxyUrlsHttpAndSocks5WithPercentDecodedCredentials() throws Exception {
    assertEquals(ProxySettings.http("proxy.example", 3128),
        parse("-x", "http://proxy.example:3128", URL).proxy());
    assertEquals(ProxySettings.http("proxy.example", 3128),
        parse("--proxy", "HTTP://proxy.example:3128/", URL).proxy(), "scheme in any case, one /");
    assertEquals(ProxySettings.socks5("10.0.0.1", 1080),
        parse("-x", "socks5://10.0.0.1:1080", URL).proxy());
    assertEquals(ProxySettings.http("::1", 8080), parse("-x", "http://[::1]:8080", URL).proxy());
    ProxySettings withUser = parse("-x", "http://al%40ice:p%3A%20w%C3%A9@proxy:1", URL).proxy();
    assertEquals("al@ice", withUser.user());
    assertEquals("p: w\u00e9", withUser.password(), "percent-decoded as UTF-8");
    assertEquals("pa@ss", parse("-x", "socks5://u:pa@ss@proxy:1", URL).proxy().password(),
        "the host starts after the last @");
    assertEquals("", parse("-x", "http://u:@proxy:1", URL).proxy().password());
    assertEquals("a+b", parse("-x", "http://u:a+b@proxy:1", URL).proxy().password(),
        "'+' is not a space in user info");
  }

  @Test
  void noproxyBuildsTheBypassList() throws Exception {
    assertEquals(List.of("localhost", "*.internal.example", "*.corp", "10.1.2.3", "<local>"),
        parse("-x", "http://p:1", "--noproxy", "localhost, .internal.example,*.corp,10.1.2.3,"
            + "<local>", URL).proxy().bypass(), "curl's .suffix is *.suffix");
    assertNull(parse("-x", "http://p:1", "--noproxy", "*", URL).proxy(), "* bypasses everything");
  }

  @Test
  void userBasicProxyUserCompressedAndCookies() throws Exception {
    Options o = parse("-u", "alice:s3:cr et", "--basic", "--compressed", "-b", URL);
    assertEquals(new Options.Credentials("alice", "s3:cr et"), o.user(), "split at the first colon");
    assertTrue(o.basic() && o.compressed() && o.cookies());
    assertEquals(new Options.Credentials("u", ""), parse("--user", "u:", URL).user());
    assertTrue(parse("--cookies", URL).cookies());
    assertFalse(o.user().toString().contains("s3"), "toString leaves the password out");

    Options proxied = parse("-x", "http://p:1", "-U", "pu:pp", URL);
    assertEquals(new Options.Credentials("pu", "pp"), proxied.proxyUser());
    // plain http through an HTTP proxy: the 407 is the response, answered like a 401
    assertEquals(proxied.proxyUser(), proxied.proxyChallengeUser(true));
    assertNull(proxied.proxyFor(true).user());
    // a tunnel (https, ws): the CONNECT's 407 never reaches the application, so up front
    assertNull(proxied.proxyChallengeUser(false));
    assertEquals(ProxySettings.http("p", 1).withCredentials("pu", "pp"), proxied.proxyFor(false));
    Options socks = parse("-x", "socks5://p:1", "--proxy-user", "pu:pp", URL);
    assertNull(socks.proxyChallengeUser(true), "SOCKS5 asks for its login itself");
    assertEquals("pu", socks.proxyFor(true).user());
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
      "--bogus", "-K", "-B", // unknown options (case matters)
      "-X", "-H", "-d", "-o", "--flags", // a missing value
      "http://a/ http://b/", // two URLs
      "-X GE:T http://a/", "-H NoColon http://a/", "-H 'Bad Name: v' http://a/",
      "--flags BOGUS", "--flags SEND_REQUEST,,HANDLES", "--flags 0xZZ", "--flags 0x1FFFFFFFF",
      "-d @/no/such/file http://a/",
      "-o out.txt", "-X PUT", "-H 'X-A: b'", "-d hello", // request options without a URL
      "-x", "--noproxy", "-u", "-U", // a missing value
      "-x proxy:3128 http://a/", "-x https://p:1 http://a/", "-x socks4://p:1 http://a/",
      "-x ftp://p:1 http://a/", "-x http:// http://a/", "-x http://:1 http://a/",
      "-x http://p http://a/", "-x http://p: http://a/", "-x http://p:0 http://a/",
      "-x http://p:65536 http://a/", "-x http://p:x http://a/", "-x http://p:1/path http://a/",
      "-x http://p:1?q http://a/", "-x http://p:1#f http://a/", "-x http://[::1 http://a/",
      "-x http://user@p:1 http://a/", "-x http://:pw@p:1 http://a/",
      "-x http://u%3Ax:pw@p:1 http://a/", "-x http://u:p%4@p:1 http://a/",
      "-x http://u:p%zz@p:1 http://a/", "-x http://u:%C3@p:1 http://a/",
      "-x http://u:%0A@p:1 http://a/",
      "--noproxy localhost http://a/", "-x http://p:1 --noproxy a,,b http://a/",
      "-x http://p:1 --noproxy '' http://a/", "-x http://p:1 --noproxy *,a http://a/",
      "-x http://p:1 --noproxy 'a b' http://a/", "-x http://p:1 --noproxy . http://a/",
      "-u alice http://a/", "-u :pw http://a/", "--basic http://a/",
      "-U pu:pp http://a/", "-x http://p:1 -U pu http://a/",
      "-x http://u:p@p:1 -U pu:pp http://a/",
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
  void proxyAndCredentialErrorsNameTheProblemButNeverThePassword() {
    assertEquals("-x: expected http://[user:password@]host:port or socks5://[user:password@]host:port,"
        + " got: https://***@p:1", assertThrows(Options.UsageException.class,
            () -> parse("-x", "https://u:hunter2@p:1", URL)).getMessage());
    assertEquals("-x: expected a port (1-65535) after the host in: http://***@p",
        assertThrows(Options.UsageException.class,
            () -> parse("-x", "http://u:hunter2@p", URL)).getMessage());
    assertEquals("-x: '%' must be followed by two hex digits in the user or password of:"
        + " http://***@p:1", assertThrows(Options.UsageException.class,
            () -> parse("-x", "http://u:hunter2%@p:1", URL)).getMessage());
    assertEquals("-u: expected USER:PASSWORD (no colon in the value)",
        assertThrows(Options.UsageException.class, () -> parse("-u", "hunter2", URL)).getMessage());
    assertEquals("--noproxy needs -x", assertThrows(Options.UsageException.class,
        () -> parse("--noproxy", "a", URL)).getMessage());
    assertEquals("-U needs -x", assertThrows(Options.UsageException.class,
        () -> parse("-U", "a:b", URL)).getMessage());
    assertEquals("--basic needs -u", assertThrows(Options.UsageException.class,
        () -> parse("--basic", URL)).getMessage());
    assertEquals("-U: proxy user and password are limited to 255 bytes each",
        assertThrows(Options.UsageException.class,
            () -> parse("-x", "http://h:1", "-U", "a".repeat(256) + ":b", URL)).getMessage());
    assertEquals("-U: the proxy credentials are already in -x; give them once",
        assertThrows(Options.UsageException.class,
            () -> parse("-x", "http://u:p@h:1", "-U", "a:b", URL)).getMessage());
  }

  @Test
  void websocketsRefuseTheRequestOnlyOptions() {
    for (String option : new String[] {"-u a:b", "--compressed"}) {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
      assertEquals(Tracer.USAGE, Tracer.run(new String[] {option + " ws://127.0.0.1:1/"}, out, out));
      assertTrue(bytes.toString(StandardCharsets.UTF_8).startsWith(
          "telltale: -u, --basic and --compressed do not apply to a websocket\n"), bytes::toString);
    }
  }

  @Test
  void helpWinsOverMissingUrl() throws Options.UsageException {
    assertTrue(parse("-h", "-X", "PUT").help());
  }
}
