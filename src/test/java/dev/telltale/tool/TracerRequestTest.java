package dev.telltale.tool;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.telltale.testkit.LeakCheck;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import okio.Buffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The tracer's request options against MockWebServer: what reaches the server, what is printed. */
@ExtendWith(LeakCheck.class)
@Timeout(60)
class TracerRequestTest {
  private static final Pattern EVENT = Pattern.compile("^ *\\d+\\.\\d\\d ms  (\\w+) +([A-Z_]+)",
      Pattern.MULTILINE);

  @StartStop final MockWebServer server = new MockWebServer();

  private final ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
  private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(outBytes, true, StandardCharsets.UTF_8);
  private final PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8);

  private String url(String path) {
    return "http://127.0.0.1:" + server.getPort() + path;
  }

  private int run(String... args) {
    return Tracer.run(args, out, err);
  }

  private String output() {
    return outBytes.toString(StandardCharsets.UTF_8);
  }

  private String errors() {
    return errBytes.toString(StandardCharsets.UTF_8);
  }

  private RecordedRequest take() throws InterruptedException {
    RecordedRequest request = server.takeRequest(20, TimeUnit.SECONDS);
    assertNotNull(request, "no request reached the server");
    return request;
  }

  /** 100 000 bytes of every value, so that a text conversion anywhere would show. */
  private static byte[] binaryBody() {
    byte[] body = new byte[100_000];
    for (int i = 0; i < body.length; i++) {
      body[i] = (byte) (i * 31 + i / 256);
    }
    return body;
  }

  @Test
  void aKnownExchangePrintsExactlyThisWithTimesAndPortMasked() {
    // (the waterfall's exact layout is WaterfallTest's)
    server.enqueue(new MockResponse.Builder().body("hello").build());
    assertEquals(Tracer.OK, run(url("/known")), this::output);
    String masked = output().replace(":" + server.getPort(), ":PORT")
        .replaceAll("(?m)^ *\\d+\\.\\d\\d ms  ", "T  ")
        .replaceAll("\\|[ #]{40}\\|", "|BAR|")
        .replaceAll(" +\\d+\\.\\d\\d ms", " T")
        .replaceAll("(REQUEST_SENT|RESPONSE_RECEIVED) \\d+", "$1 N")
        .replaceAll("\\d+ sent, \\d+ received", "N sent, N received");
    assertEquals("""
        telltale: GET http://127.0.0.1:PORT/known
        T  session  HANDLE_CREATED CONNECT

        > GET /known
        T  request  HANDLE_CREATED REQUEST
        T  request  RESOLVING_NAME 127.0.0.1
        T  request  NAME_RESOLVED 127.0.0.1 [127.0.0.1]
        T  request  CONNECTING_TO_SERVER 127.0.0.1:PORT
        T  request  CONNECTED_TO_SERVER 127.0.0.1:PORT
        T  request  SENDING_REQUEST
        T  request  REQUEST_SENT N
        T  request  SENDREQUEST_COMPLETE
        T  request  RECEIVING_RESPONSE
        T  request  RESPONSE_RECEIVED N
        T  request  HEADERS_AVAILABLE
        HTTP/1.1 200 OK
        Content-Length: 5
        T  request  READ_COMPLETE 5
        T  request  READ_COMPLETE 0
        timings:
          resolve    |BAR| T
          connect    |BAR| T
          send       |BAR| T
          wait       |BAR| T
          download   |BAR| T
          first byte T
          total T
          bytes      N sent, N received
          body       5 bytes, discarded
        T  request  HANDLE_CLOSING REQUEST

        T  connect  HANDLE_CLOSING CONNECT
        T  session  HANDLE_CLOSING SESSION
        """, masked);
    // the byte counts of the summary are those of the events
    Matcher sent = Pattern.compile("REQUEST_SENT (\\d+)\n").matcher(output());
    Matcher head = Pattern.compile("RESPONSE_RECEIVED (\\d+)\n").matcher(output());
    assertTrue(sent.find() && head.find(), output());
    long received = Long.parseLong(head.group(1)) + 5;
    assertTrue(output().contains("\n  bytes      " + sent.group(1) + " sent, " + received
        + " received\n"), output());
  }

  @Test
  void dashOSavesTheExactBody(@TempDir Path dir) throws Exception {
    byte[] body = binaryBody();
    server.enqueue(new MockResponse.Builder().body(new Buffer().write(body)).build());
    Path file = dir.resolve("body.bin");
    assertEquals(Tracer.OK, run("-o", file.toString(), url("/file")), this::output);
    assertArrayEquals(body, Files.readAllBytes(file));
    assertTrue(output().contains("\n  body       100000 bytes, saved to " + file + "\n"), output());
  }

  @Test
  void withoutDashOTheBodyIsCountedAndDiscarded() {
    server.enqueue(new MockResponse.Builder().body("the body itself").build());
    assertEquals(Tracer.OK, run(url("/")), this::output);
    assertFalse(output().contains("the body itself"), output());
    assertTrue(output().contains("\n  body       15 bytes, discarded\n"), output());
  }

  @Test
  void anOutputFileThatCannotBeWrittenFailsTheRequest(@TempDir Path dir) {
    server.enqueue(new MockResponse.Builder().body("x").build());
    Path file = dir.resolve("no/such/dir/out");
    assertEquals(Tracer.REQUEST_FAILED, run("-o", file.toString(), url("/")), this::output);
    assertTrue(output().contains("error: cannot save the body to " + file + ": "), output());
    assertTrue(output().endsWith("session  HANDLE_CLOSING SESSION\n"), output());
  }

  @Test
  void methodHeadersAndBodyReachTheServerAsGiven() throws Exception {
    server.enqueue(new MockResponse.Builder().code(201).build());
    assertEquals(Tracer.OK, run("-X", "PUT", "-H", "X-A: b", "-H", "X-Two: c d", "-d", "hello",
        url("/put")), this::output);
    RecordedRequest recorded = take();
    assertEquals("PUT", recorded.getMethod());
    assertEquals("/put", recorded.getTarget());
    assertEquals("b", recorded.getHeaders().get("X-A"));
    assertEquals("c d", recorded.getHeaders().get("X-Two"));
    assertEquals("5", recorded.getHeaders().get("Content-Length"));
    assertEquals("hello", recorded.getBody().utf8());
    assertTrue(output().startsWith("telltale: PUT " + url("/put") + "\n"), output());
    assertTrue(output().contains("\n> PUT /put\n"), output());
    assertTrue(output().contains("\nHTTP/1.1 201 "), output());
  }

  @Test
  void oneArgumentAsExecExecPassesItIsSplitWithQuotes() throws Exception {
    server.enqueue(new MockResponse.Builder().build());
    assertEquals(Tracer.OK, run("-X PUT -H 'X-A: b c' -d \"two words\" " + url("/q?x=1")),
        this::output);
    RecordedRequest recorded = take();
    assertEquals("PUT", recorded.getMethod());
    assertEquals("/q?x=1", recorded.getTarget());
    assertEquals("b c", recorded.getHeaders().get("X-A"));
    assertEquals("two words", recorded.getBody().utf8());
  }

  @Test
  void dataFromAFileImpliesPost(@TempDir Path dir) throws Exception {
    byte[] body = {1, 2, 3, 0, (byte) 0xfe};
    Path file = Files.write(dir.resolve("data"), body);
    server.enqueue(new MockResponse.Builder().build());
    assertEquals(Tracer.OK, run("-d", "@" + file, url("/post")), this::output);
    RecordedRequest recorded = take();
    assertEquals("POST", recorded.getMethod());
    assertArrayEquals(body, recorded.getBody().toByteArray());
  }

  @Test
  void flagsChooseWhichStatusesArePrinted() {
    server.enqueue(new MockResponse.Builder().body("hi").build());
    assertEquals(Tracer.OK, run("--flags", "SEND_REQUEST,HANDLES", url("/")), this::output);
    Set<String> statuses = new LinkedHashSet<>();
    Matcher m = EVENT.matcher(output());
    while (m.find()) {
      statuses.add(m.group(2));
    }
    assertEquals(Set.of("HANDLE_CREATED", "SENDING_REQUEST", "REQUEST_SENT", "HANDLE_CLOSING"),
        statuses, this::output);
    // the waterfall does not depend on the events shown
    assertTrue(output().contains("\n  wait       |"), output());
    assertTrue(output().endsWith("session  HANDLE_CLOSING SESSION\n"), output());
  }

  @Test
  void noFlagsAtAllStillEnds() {
    server.enqueue(new MockResponse.Builder().body("hi").build());
    assertEquals(Tracer.OK, run("--flags", "NONE", url("/")), this::output);
    assertFalse(EVENT.matcher(output()).find(), this::output);
    assertTrue(output().contains("\n  total      "), output());
  }

  @Test
  void progressWithAContentLengthEndsAtOneHundredPercent() {
    server.enqueue(new MockResponse.Builder().body(new Buffer().write(binaryBody())).build());
    assertEquals(Tracer.OK, run("--progress", url("/")), this::output);
    String progress = errors();
    assertTrue(progress.startsWith("\r[                              ]   0%  0/100000 bytes"),
        progress);
    assertTrue(progress.endsWith("\r[##############################] 100%  100000/100000 bytes\n"),
        progress);
    assertFalse(output().contains("%"), "the bar goes to the injected stream only");
  }

  @Test
  void progressWithoutALengthCountsBytes() {
    server.enqueue(new MockResponse.Builder().chunkedBody("0123456789".repeat(100), 64).build());
    assertEquals(Tracer.OK, run("--progress", url("/")), this::output);
    assertTrue(errors().startsWith("\r0 bytes"), errors());
    assertTrue(errors().endsWith("\r1000 bytes\n"), errors());
  }

  @Test
  void noProgressWithoutATerminalOrWithJson() {
    server.enqueue(new MockResponse.Builder().body("hi").build());
    server.enqueue(new MockResponse.Builder().body("hi").build());
    assertEquals(Tracer.OK, run(url("/"))); // System.console() is null under surefire
    assertEquals(Tracer.OK, run("--progress", "--json", url("/")));
    assertEquals("", errors());
  }
}
