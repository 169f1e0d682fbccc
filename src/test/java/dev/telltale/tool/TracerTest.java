package dev.telltale.tool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.telltale.testkit.LeakCheck;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LeakCheck.class)
@Timeout(60)
class TracerTest {
  /** An event line: {@code "   3.21 ms  request  RESOLVING_NAME 127.0.0.1"}. */
  private static final Pattern EVENT = Pattern.compile("^ *\\d+\\.\\d\\d ms  (\\w+) +([A-Z_]+)");

  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

  private String output() {
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void demoTracesFourRequestsInOneSession() {
    // The empty argument is what `mvn exec:exec` passes when tracer.args is not set.
    assertEquals(Tracer.OK, Tracer.run(new String[] {""}, out), this::output);

    String[] sections = output().split("\n> GET ");
    assertEquals(5, sections.length, this::output);
    assertTrue(sections[0].startsWith("telltale demo: embedded server at http://127.0.0.1:"));
    assertEquals("session HANDLE_CREATED\n", events(sections[0]));
    assertEquals("""
        request HANDLE_CREATED
        request RESOLVING_NAME
        request NAME_RESOLVED
        request CONNECTING_TO_SERVER
        request CONNECTED_TO_SERVER
        request SENDING_REQUEST
        request REQUEST_SENT
        request SENDREQUEST_COMPLETE
        request RECEIVING_RESPONSE
        request RESPONSE_RECEIVED
        request HEADERS_AVAILABLE
        request READ_COMPLETE
        request HANDLE_CLOSING
        """, events(sections[1]));
    assertEquals(pooledRequest(), events(sections[2]), "second /hello reuses the connection");
    assertEquals("""
        request HANDLE_CREATED
        request SENDING_REQUEST
        request REQUEST_SENT
        request SENDREQUEST_COMPLETE
        request RECEIVING_RESPONSE
        request RESPONSE_RECEIVED
        request REDIRECT
        request SENDING_REQUEST
        request REQUEST_SENT
        request RECEIVING_RESPONSE
        request RESPONSE_RECEIVED
        request HEADERS_AVAILABLE
        request READ_COMPLETE
        request HANDLE_CLOSING
        """, events(sections[3]));
    assertEquals(pooledRequest() + "connect HANDLE_CLOSING\nsession HANDLE_CLOSING\n",
        events(sections[4]));
  }

  @Test
  void demoPrintsPayloadsHeadersAndPhaseTimings() {
    assertEquals(Tracer.OK, Tracer.run(new String[0], out), this::output);
    String[] sections = output().split("\n> GET ");
    String first = sections[1];
    assertTrue(first.startsWith("/hello  # a new connection"), first);
    assertTrue(first.contains("RESOLVING_NAME 127.0.0.1\n"), first);
    assertTrue(first.contains("HTTP/1.1 200 OK\n"), first);
    assertTrue(first.contains("READ_COMPLETE 0\n"), first);
    assertTrue(hasLine(first, phase("resolve")), first);
    assertTrue(hasLine(first, phase("connect")), first);
    assertTrue(hasLine(first, phase("send")), first);
    assertTrue(hasLine(first, phase("wait")), first);
    assertTrue(hasLine(first, "  first byte {43} *\\d+\\.\\d\\d ms"), first);
    assertTrue(hasLine(first, "  total {48} *\\d+\\.\\d\\d ms"), first);
    assertFalse(first.contains("  tls "), "no TLS phase over http: " + first);
    assertTrue(hasLine(first, "  bytes      72 sent, \\d+ received"), first);
    int helloLength = EmbeddedServer.HELLO.length();
    assertTrue(hasLine(first, "  body       " + helloLength + " bytes, discarded"), first);
    // the waterfall comes after the last read, before the request's HANDLE_CLOSING
    assertTrue(first.indexOf("READ_COMPLETE 0\n") < first.indexOf("\ntimings:\n"), first);
    assertTrue(first.indexOf("\ntimings:\n") < first.indexOf("HANDLE_CLOSING REQUEST"), first);

    String pooled = sections[2];
    assertFalse(pooled.contains("CONNECTING_TO_SERVER"), pooled);
    assertFalse(pooled.contains("  resolve "), "no resolve phase when pooled: " + pooled);
    assertFalse(pooled.contains("  connect "), "no connect phase when pooled: " + pooled);
    assertTrue(hasLine(pooled, "  total .* ms  \\(pooled connection\\)"), pooled);

    String redirect = sections[3];
    assertTrue(redirect.contains("REDIRECT http://127.0.0.1:"), redirect);
    assertTrue(hasLine(redirect, "  total .* ms  \\(1 redirect, pooled connection\\)"), redirect);

    String chunked = sections[4];
    assertTrue(chunked.toLowerCase(java.util.Locale.ROOT).contains("transfer-encoding: chunked\n"), chunked);
    assertTrue(hasLine(chunked, "  body       39 bytes, discarded"), chunked);
  }

  @Test
  void demoInJsonIsEventsThenFourSummaries() {
    assertEquals(Tracer.OK, Tracer.run(new String[] {"--json"}, out), this::output);
    String[] lines = output().split("\n");
    List<String> paths = new ArrayList<>();
    for (String line : lines) {
      Object summary = MiniJson.object(line).get("summary");
      if (summary != null) {
        paths.add((String) ((java.util.Map<?, ?>) summary).get("path"));
      }
    }
    assertEquals(List.of("/hello", "/hello", "/redirect", "/chunked"), paths);
    assertTrue(lines[lines.length - 5].contains("\"status\":\"HANDLE_CLOSING\""), output());
    assertTrue(lines[lines.length - 1].contains("\"redirects\":0"), output());
    assertTrue(lines[lines.length - 2].contains("\"redirects\":1"), output());
  }

  @Test
  void refusedConnectionExitsWithOneAndTheErrorCode() throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort(); // closed again below: nothing listens there any more
    }
    assertEquals(Tracer.REQUEST_FAILED, Tracer.run(new String[] {"http://127.0.0.1:" + port + "/"}, out),
        this::output);
    assertTrue(output().contains("REQUEST_ERROR SEND_REQUEST CANNOT_CONNECT (12029)\n"), output());
    assertTrue(output().contains("error: CANNOT_CONNECT (12029): "), output());
    assertTrue(output().endsWith("session  HANDLE_CLOSING SESSION\n"), output());
  }

  @Test
  void httpsShowsTheNegotiatedProtocolAndTheHandshakeTime() throws Exception {
    HeldCertificate certificate = new HeldCertificate.Builder().addSubjectAlternativeName("localhost").build();
    try (MockWebServer server = new MockWebServer()) {
      server.useHttps(new HandshakeCertificates.Builder().heldCertificate(certificate).build()
          .sslSocketFactory());
      server.enqueue(new MockResponse.Builder().body("over tls").build());
      server.start(InetAddress.getByName("127.0.0.1"), 0);
      // self-signed, so untrusted: -k ignores it, as curl's -k does
      assertEquals(Tracer.OK, Tracer.run(new String[] {"-k",
          "https://127.0.0.1:" + server.getPort() + "/"}, out), this::output);
    }
    assertTrue(output().contains("\ntls: TLSv1."), output());
    assertTrue(hasLine(output(), phase("tls")), output());
    assertTrue(output().contains("request  CONNECTED_TO_SERVER"), output());
  }

  @Test
  void httpsWithAnUntrustedCertificateFailsWithSecureFailure() throws Exception {
    HeldCertificate certificate = new HeldCertificate.Builder().addSubjectAlternativeName("localhost").build();
    try (MockWebServer server = new MockWebServer()) {
      server.useHttps(new HandshakeCertificates.Builder().heldCertificate(certificate).build()
          .sslSocketFactory());
      server.start(InetAddress.getByName("127.0.0.1"), 0);
      assertEquals(Tracer.REQUEST_FAILED, Tracer.run(new String[] {
          "https://127.0.0.1:" + server.getPort() + "/"}, out), this::output);
    }
    assertTrue(output().contains("request  SECURE_FAILURE"), output());
    assertTrue(output().contains("error: SECURE_FAILURE (12175)"), output());
  }

  @Test
  void malformedUrlPrintsUsage() {
    assertEquals(Tracer.USAGE, Tracer.run(new String[] {"http://[oops"}, out));
    assertTrue(output().startsWith("telltale: malformed URL: "), output());
    assertTrue(output().contains("usage: telltale [options] [URL]"), output());
  }

  @Test
  void notAnHttpUrlPrintsUsage() {
    assertEquals(Tracer.USAGE, Tracer.run(new String[] {"ftp://example.com/"}, out));
    assertTrue(output().contains("usage: telltale [options] [URL]"), output());
  }

  @Test
  void helpExitsWithZero() {
    assertEquals(Tracer.OK, Tracer.run(new String[] {"--help"}, out));
    assertTrue(output().startsWith("usage: telltale [options] [URL]"), output());
    bytes.reset();
    assertEquals(Tracer.OK, Tracer.run(new String[] {"-h"}, out));
    assertTrue(output().startsWith("usage: telltale [options] [URL]"), output());
  }

  private static String pooledRequest() {
    return """
        request HANDLE_CREATED
        request SENDING_REQUEST
        request REQUEST_SENT
        request SENDREQUEST_COMPLETE
        request RECEIVING_RESPONSE
        request RESPONSE_RECEIVED
        request HEADERS_AVAILABLE
        request READ_COMPLETE
        request HANDLE_CLOSING
        """;
  }

  /**
   * The event lines of a section as {@code "handle STATUS"}, timings and payloads dropped; a run of
   * READ_COMPLETE lines counts once, since how the body is split into reads depends on the network.
   */
  private static String events(String section) {
    List<String> lines = new ArrayList<>();
    for (String line : section.split("\n")) {
      Matcher m = EVENT.matcher(line);
      if (m.find()) {
        String event = m.group(1) + " " + m.group(2);
        if (!(event.endsWith("READ_COMPLETE") && !lines.isEmpty()
            && lines.get(lines.size() - 1).equals(event))) {
          lines.add(event);
        }
      }
    }
    return String.join("\n", lines) + "\n";
  }

  /** A phase line of the waterfall: name, a 40-column bar, milliseconds. */
  private static String phase(String name) {
    return "  " + name + " +\\|[ #]{40}\\| *\\d+\\.\\d\\d ms";
  }

  private static boolean hasLine(String text, String regex) {
    return Pattern.compile("^" + regex + "$", Pattern.MULTILINE).matcher(text).find();
  }
}
