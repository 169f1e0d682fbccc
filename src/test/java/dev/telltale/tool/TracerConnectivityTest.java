package dev.telltale.tool;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.telltale.testkit.LeakCheck;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import okio.Buffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tracer's connectivity options against MockWebServer (as origin, and as HTTP proxy): a 401 or
 * 407 answered the way a WinHTTP application answers it with both exchanges in the trace,
 * pre-emptive Basic, proxies and their bypass list, decompression and cookies.
 */
@ExtendWith(LeakCheck.class)
@Timeout(60)
class TracerConnectivityTest {
  /** An event line's handle and status: {@code "   3.21 ms  request  RESOLVING_NAME 127.0.0.1"}. */
  private static final Pattern EVENT = Pattern.compile("^ *\\d+\\.\\d\\d ms  (\\w+) +([A-Z_]+)",
      Pattern.MULTILINE);

  @StartStop final MockWebServer server = new MockWebServer();

  private final ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(outBytes, true, StandardCharsets.UTF_8);

  private String url(String path) {
    return "http://127.0.0.1:" + server.getPort() + path;
  }

  private String proxyUrl() {
    return "http://127.0.0.1:" + server.getPort();
  }

  private int run(String... args) {
    return Tracer.run(args, out, out);
  }

  private String output() {
    return outBytes.toString(StandardCharsets.UTF_8);
  }

  private RecordedRequest take() throws InterruptedException {
    RecordedRequest request = server.takeRequest(20, TimeUnit.SECONDS);
    assertNotNull(request, "no request reached the server");
    return request;
  }

  /** The statuses printed, in order, one per line. */
  private String statuses() {
    StringBuilder sb = new StringBuilder();
    Matcher m = EVENT.matcher(output());
    while (m.find()) {
      sb.append(m.group(2)).append('\n');
    }
    return sb.toString();
  }

  private static int count(String text, String part) {
    int n = 0;
    for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + part.length())) {
      n++;
    }
    return n;
  }

  private static String basic(String user, String password) {
    return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password)
        .getBytes(StandardCharsets.UTF_8));
  }

  // ------------------------------------------------------------------ server authentication

  @Test
  void aDigest401IsAnsweredOnTheSameHandleWithBothExchangesTraced() throws Exception {
    // a server that checks the Digest answer, as a real one does: 401 until it is right
    server.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        if (validDigest(request.getHeaders().get("Authorization"), "alice", "s3cret", "files")) {
          return new MockResponse.Builder().body("the secret").build();
        }
        return new MockResponse.Builder().code(401)
            .addHeader("WWW-Authenticate", "Basic realm=\"files\"")
            .addHeader("WWW-Authenticate", "Digest realm=\"files\", nonce=\"n0nce\", qop=\"auth\"")
            .body("who are you?").build();
      }
    });
    assertEquals(Tracer.OK, run("-u", "alice:s3cret", url("/private")), this::output);

    String trace = output();
    int challenge = trace.indexOf("\nHTTP/1.1 401 ");
    int query = trace.indexOf("\nauth: queryAuthSchemes: BASIC, DIGEST (first BASIC, target SERVER);"
        + " setCredentials(SERVER, DIGEST, \"alice\", ...)\n");
    int again = trace.indexOf("\n> GET /private  # sent again with the server credentials\n");
    int success = trace.indexOf("\nHTTP/1.1 200 ");
    assertTrue(challenge > 0 && query > challenge && again > query && success > again, trace);
    assertEquals(1, count(trace, "\nHTTP/1.1 401 "), "the application saw one 401: " + trace);
    assertFalse(trace.contains("s3cret"), "the password is never printed");
    // both exchanges are in the events: two sends, two heads, the 401's body read before the next
    String challengeBody = trace.substring(challenge, query + 1);
    assertTrue(Pattern.compile("request  READ_COMPLETE 12\n.*request  READ_COMPLETE 0\n$",
        Pattern.DOTALL).matcher(challengeBody).find(), "read to its end first: " + challengeBody);
    assertEquals(2, count(statuses(), "HEADERS_AVAILABLE\n"), statuses());
    assertTrue(count(statuses(), "SENDING_REQUEST\n") >= 2, statuses());
    assertTrue(trace.contains("\n  body       10 bytes, discarded\n"), "the body is the 200's: "
        + trace);
    assertNull(take().getHeaders().get("Authorization"), "the first send has no credentials");
  }

  @Test
  void aBodyIsSentAgainWithTheAnswer() throws Exception {
    server.enqueue(new MockResponse.Builder().code(401)
        .addHeader("WWW-Authenticate", "Basic realm=\"r\"").build());
    server.enqueue(new MockResponse.Builder().code(201).build());
    assertEquals(Tracer.OK, run("-u", "u:p", "-d", "payload", url("/post")), this::output);
    RecordedRequest first = take();
    RecordedRequest second = take();
    assertEquals("payload", first.getBody().utf8());
    assertNull(first.getHeaders().get("Authorization"));
    assertEquals("payload", second.getBody().utf8(), "the body goes again with the credentials");
    assertEquals(basic("u", "p"), second.getHeaders().get("Authorization"));
    assertTrue(output().contains("\n> POST /post  # sent again with the server credentials\n"),
        output());
  }

  @Test
  void basicSendsTheCredentialsPreemptively() throws Exception {
    server.enqueue(new MockResponse.Builder().body("ok").build());
    assertEquals(Tracer.OK, run("--basic", "-u", "bob:pa:ss w", url("/b")), this::output);
    assertEquals(basic("bob", "pa:ss w"), take().getHeaders().get("Authorization"),
        "the password is everything after the first colon");
    assertEquals(1, server.getRequestCount());
    assertFalse(output().contains("auth:"), output());
  }

  @Test
  void refusedCredentialsLeaveThe401AsTheResponse() throws Exception {
    server.enqueue(new MockResponse.Builder().code(401)
        .addHeader("WWW-Authenticate", "Basic realm=\"r\"").build());
    assertEquals(Tracer.OK, run("--basic", "-u", "bob:wrong", url("/b")), this::output);
    assertTrue(output().contains("\nauth: the server refused the credentials\n"), output());
    assertEquals(1, count(output(), "\nHTTP/1.1 401 "), output());
    assertEquals(1, server.getRequestCount(), "a refused Basic answer is not sent again");
  }

  @Test
  void aChallengeTelltaleCannotAnswerIsTheResponse() {
    server.enqueue(new MockResponse.Builder().code(401)
        .addHeader("WWW-Authenticate", "Negotiate").addHeader("WWW-Authenticate", "NTLM").build());
    assertEquals(Tracer.OK, run("-u", "u:p", url("/w")), this::output);
    assertTrue(output().contains("\nauth: queryAuthSchemes: NTLM, NEGOTIATE (first NEGOTIATE,"
        + " target SERVER); none telltale can answer\n"), output());
    assertEquals(1, server.getRequestCount());
  }

  @Test
  void withoutCredentialsA401IsJustTheResponse() {
    server.enqueue(new MockResponse.Builder().code(401)
        .addHeader("WWW-Authenticate", "Basic realm=\"r\"").build());
    assertEquals(Tracer.OK, run(url("/")), this::output);
    assertFalse(output().contains("auth:"), output());
    assertEquals(1, server.getRequestCount());
  }

  @Test
  void jsonSummaryNamesTheCredentialsSet() {
    server.enqueue(new MockResponse.Builder().code(401)
        .addHeader("WWW-Authenticate", "Basic realm=\"r\"").build());
    server.enqueue(new MockResponse.Builder().body("ok").build());
    assertEquals(Tracer.OK, run("--json", "-u", "u:p", url("/j")), this::output);
    String[] lines = output().split("\n");
    Map<String, Object> summary = MiniJson.object(lines[lines.length - 1]);
    @SuppressWarnings("unchecked")
    Map<String, Object> s = (Map<String, Object>) summary.get("summary");
    assertEquals(List.of(Map.of("target", "server", "scheme", "BASIC", "challenge_status",
        new java.math.BigDecimal(401))), s.get("auth"), output());
    assertEquals(new java.math.BigDecimal(200), s.get("status_code"));
    for (String line : lines) {
      MiniJson.object(line); // every line is JSON: no "auth:" or "> GET" text
    }
  }

  // ------------------------------------------------------------------ proxies

  @Test
  void anHttpProxyGetsTheRequestInAbsoluteFormAndItsCredentials() throws Exception {
    server.enqueue(new MockResponse.Builder().body("via proxy").build());
    String proxy = "http://al%40ice:p%3Ass%20w@127.0.0.1:" + server.getPort() + "/";
    assertEquals(Tracer.OK, run("-x", proxy, "http://origin.test:8080/path?q=1"), this::output);
    RecordedRequest seen = take();
    assertEquals("GET http://origin.test:8080/path?q=1 HTTP/1.1", seen.getRequestLine());
    assertEquals(basic("al@ice", "p:ss w"), seen.getHeaders().get("Proxy-Authorization"),
        "user and password are percent-decoded");
    assertTrue(output().contains("request  RESOLVING_NAME 127.0.0.1\n"),
        "the events name the proxy, never the origin: " + output());
    assertFalse(output().contains("RESOLVING_NAME origin.test"), output());
  }

  @Test
  void proxyUserAnswersA407AsAWinHttpApplicationDoes() throws Exception {
    server.enqueue(new MockResponse.Builder().code(407)
        .addHeader("Proxy-Authenticate", "Basic realm=\"proxy\"").body("pay first").build());
    server.enqueue(new MockResponse.Builder().body("through").build());
    assertEquals(Tracer.OK, run("-x", proxyUrl(), "-U", "pu:pp", "http://origin.test/x"),
        this::output);
    String trace = output();
    assertTrue(trace.contains("\nHTTP/1.1 407 "), trace);
    assertTrue(trace.contains("\nauth: queryAuthSchemes: BASIC (first BASIC, target PROXY);"
        + " setCredentials(PROXY, BASIC, \"pu\", ...)\n"), trace);
    assertTrue(trace.contains("\n> GET /x  # sent again with the proxy credentials\n"), trace);
    assertTrue(trace.indexOf("\nHTTP/1.1 200 ") > trace.indexOf("sent again"), trace);
    assertNull(take().getHeaders().get("Proxy-Authorization"), "nothing before the 407");
    RecordedRequest last = take();
    for (int i = 2; i < server.getRequestCount(); i++) {
      last = take();
    }
    assertEquals("GET http://origin.test/x HTTP/1.1", last.getRequestLine());
    assertEquals(basic("pu", "pp"), last.getHeaders().get("Proxy-Authorization"));
    assertNull(last.getHeaders().get("Authorization"), "proxy credentials go to the proxy only");
  }

  @Test
  void noproxyHostsConnectDirectly() throws Exception {
    int dead = closedPort();
    server.enqueue(new MockResponse.Builder().body("direct").build());
    assertEquals(Tracer.OK, run("-x", "http://127.0.0.1:" + dead, "--noproxy", "example.com,127.0.0.1",
        url("/direct")), this::output);
    assertEquals("GET /direct HTTP/1.1", take().getRequestLine(), "origin form: no proxy");
    assertTrue(output().contains("CONNECTING_TO_SERVER 127.0.0.1:" + server.getPort() + "\n"),
        output());
  }

  @Test
  void withoutNoproxyTheDeadProxyIsUsedAndTheRequestFails() throws Exception {
    int dead = closedPort();
    assertEquals(Tracer.REQUEST_FAILED, run("-x", "http://127.0.0.1:" + dead, url("/")),
        this::output);
    assertTrue(output().contains("CONNECTING_TO_SERVER 127.0.0.1:" + dead + "\n"), output());
    assertTrue(output().contains("\nerror: CANNOT_CONNECT "), output());
    assertEquals(0, server.getRequestCount());
  }

  /** A loopback port nothing listens on (just released: connections to it are refused). */
  private static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  // ------------------------------------------------------------------ decompression

  @Test
  void compressedAsksForGzipAndSavesTheDecodedBody(@TempDir Path dir) throws Exception {
    byte[] original = new byte[50_000];
    for (int i = 0; i < original.length; i++) {
      original[i] = (byte) ("telltale ".charAt(i % 9) + i / 5000);
    }
    byte[] gzipped = gzip(original);
    server.enqueue(new MockResponse.Builder().addHeader("Content-Encoding", "gzip")
        .body(new Buffer().write(gzipped)).build());
    Path file = dir.resolve("body");
    assertEquals(Tracer.OK, run("--compressed", "-o", file.toString(), url("/gz")), this::output);
    assertArrayEquals(original, Files.readAllBytes(file));
    assertEquals("gzip, deflate", take().getHeaders().get("Accept-Encoding"));
    assertTrue(output().contains("\n  body       50000 bytes, decoded from " + gzipped.length
        + " gzip bytes, saved to " + file + "\n"), output());
  }

  @Test
  void compressedWithAChunkedBodyShowsTheDecodedSizeOnly() throws Exception {
    byte[] original = "0123456789".repeat(300).getBytes(StandardCharsets.US_ASCII);
    server.enqueue(new MockResponse.Builder().addHeader("Content-Encoding", "gzip")
        .chunkedBody(new Buffer().write(gzip(original)), 16).build());
    assertEquals(Tracer.OK, run("--json", "--compressed", url("/gz")), this::output);
    String[] lines = output().split("\n");
    @SuppressWarnings("unchecked")
    Map<String, Object> s = (Map<String, Object>) MiniJson.object(lines[lines.length - 1])
        .get("summary");
    assertEquals(new java.math.BigDecimal(3000), s.get("body_bytes"));
    assertEquals("gzip", s.get("content_encoding"));
    assertFalse(s.containsKey("encoded_body_bytes"), "unknown without a Content-Length: " + s);
  }

  @Test
  void withoutCompressedNothingIsAskedOrDecoded() throws Exception {
    byte[] gzipped = gzip("abc".getBytes(StandardCharsets.US_ASCII));
    server.enqueue(new MockResponse.Builder().addHeader("Content-Encoding", "gzip")
        .body(new Buffer().write(gzipped)).build());
    assertEquals(Tracer.OK, run(url("/gz")), this::output);
    assertNull(take().getHeaders().get("Accept-Encoding"));
    assertTrue(output().contains("\n  body       " + gzipped.length + " bytes, discarded\n"),
        output());
  }

  private static byte[] gzip(byte[] data) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
      gz.write(data);
    }
    return bytes.toByteArray();
  }

  // ------------------------------------------------------------------ cookies

  @Test
  void cookiesAreCarriedAcrossARedirectAndPrintedLast() throws Exception {
    server.enqueue(new MockResponse.Builder().code(302).addHeader("Location", "/home")
        .addHeader("Set-Cookie", "sid=abc123; Path=/").build());
    server.enqueue(new MockResponse.Builder().body("welcome").build());
    assertEquals(Tracer.OK, run("-b", url("/login")), this::output);
    assertNull(take().getHeaders().get("Cookie"));
    RecordedRequest home = take();
    assertEquals("/home", home.getTarget());
    assertEquals("sid=abc123", home.getHeaders().get("Cookie"));
    assertTrue(statuses().contains("REDIRECT\n"), output());
    assertTrue(output().endsWith("session  HANDLE_CLOSING SESSION\ncookies: 1 stored\n"
        + "  sid=abc123; Domain=127.0.0.1; Path=/\n"), output());
  }

  @Test
  void withoutCookiesNothingIsKept() throws Exception {
    server.enqueue(new MockResponse.Builder().code(302).addHeader("Location", "/home")
        .addHeader("Set-Cookie", "sid=abc123; Path=/").build());
    server.enqueue(new MockResponse.Builder().body("welcome").build());
    assertEquals(Tracer.OK, run(url("/login")), this::output);
    take();
    assertNull(take().getHeaders().get("Cookie"));
    assertFalse(output().contains("cookies:"), output());
  }

  @Test
  void theDemoWithCookiesKeepsTheOneItsRedirectSets() {
    assertEquals(Tracer.OK, run("-b"), this::output);
    assertTrue(output().endsWith("session  HANDLE_CLOSING SESSION\ncookies: 1 stored\n  "
        + EmbeddedServer.COOKIE + "; Domain=127.0.0.1; Path=/\n"), output());
  }

  @Test
  void jsonCookiesLineComesLastWithoutValues() {
    server.enqueue(new MockResponse.Builder().addHeader("Set-Cookie", "token=hunter2; Path=/a")
        .build());
    assertEquals(Tracer.OK, run("--json", "-b", url("/a/b")), this::output);
    String[] lines = output().split("\n");
    assertEquals(Map.of("cookies", List.of(Map.of("name", "token", "domain", "127.0.0.1", "path",
        "/a", "secure", false, "http_only", false))), MiniJson.object(lines[lines.length - 1]));
    assertTrue(lines[lines.length - 2].startsWith("{\"summary\":"), output());
    assertFalse(output().contains("hunter2"), output());
  }

  // ------------------------------------------------------------------ helpers

  /** The parameters of a {@code Digest k=v, k="v"} header value. */
  private static Map<String, String> digestParams(String header) {
    assertNotNull(header, "no Authorization header");
    assertTrue(header.startsWith("Digest "), header);
    Map<String, String> params = new HashMap<>();
    Matcher m = Pattern.compile("(\\w+)=(?:\"([^\"]*)\"|([^,\\s]+))").matcher(header);
    while (m.find()) {
      params.put(m.group(1), m.group(2) != null ? m.group(2) : m.group(3));
    }
    return params;
  }

  /** Whether {@code header} is a right MD5 Digest answer (qop=auth) for these credentials. */
  private static boolean validDigest(String header, String user, String password, String realm) {
    if (header == null || !header.startsWith("Digest ")) {
      return false;
    }
    Map<String, String> p = digestParams(header);
    try {
      return user.equals(p.get("username")) && realm.equals(p.get("realm"))
          && md5Response(user, realm, password, "GET", p).equals(p.get("response"));
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /** RFC 7616 §3.4.1 with MD5 and qop=auth, from what the client sent. */
  private static String md5Response(String user, String realm, String password, String method,
      Map<String, String> p) throws Exception {
    String ha1 = md5(user + ":" + realm + ":" + password);
    String ha2 = md5(method + ":" + p.get("uri"));
    List<String> parts = new ArrayList<>(List.of(ha1, p.get("nonce"), p.get("nc"),
        p.get("cnonce"), p.get("qop"), ha2));
    return md5(String.join(":", parts));
  }

  private static String md5(String text) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("MD5")
        .digest(text.getBytes(StandardCharsets.UTF_8)));
  }
}
