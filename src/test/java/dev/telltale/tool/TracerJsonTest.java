package dev.telltale.tool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.telltale.testkit.LeakCheck;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code --json}: every line of the output is a JSON object, events first, summaries last. */
@ExtendWith(LeakCheck.class)
@Timeout(60)
class TracerJsonTest {
  private static final Set<String> EVENT_KEYS = Set.of("t_ms", "handle", "status", "value", "payload");

  @StartStop final MockWebServer server = new MockWebServer();

  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

  /** Each line of the output, parsed. */
  private List<Map<String, Object>> lines() {
    List<Map<String, Object>> lines = new ArrayList<>();
    for (String line : bytes.toString(StandardCharsets.UTF_8).split("\n")) {
      lines.add(MiniJson.object(line)); // throws if any line is not one JSON object
    }
    return lines;
  }

  private String output() {
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object value) {
    return (Map<String, Object>) value;
  }

  @Test
  void eventsThenASummaryEveryLineJsonAndNoHeaderValues() {
    server.enqueue(new MockResponse.Builder().setHeader("X-Secret", "hunter2-response")
        .body("0123456789").build());
    assertEquals(Tracer.OK, Tracer.run(new String[] {"--json", "-H", "Authorization: Bearer hunter2",
        "http://127.0.0.1:" + server.getPort() + "/json?token=hunter2"}, out, out), this::output);
    assertFalse(output().contains("hunter2"), "no header values, no query: " + output());

    List<Map<String, Object>> lines = lines();
    List<String> statuses = new ArrayList<>();
    for (Map<String, Object> line : lines.subList(0, lines.size() - 1)) {
      assertEquals(EVENT_KEYS, line.keySet(), line::toString);
      assertTrue(line.get("t_ms") instanceof BigDecimal, line::toString);
      statuses.add(line.get("handle") + " " + line.get("status"));
    }
    assertEquals(List.of("session HANDLE_CREATED", "request HANDLE_CREATED",
        "request RESOLVING_NAME", "request NAME_RESOLVED", "request CONNECTING_TO_SERVER",
        "request CONNECTED_TO_SERVER", "request SENDING_REQUEST", "request REQUEST_SENT",
        "request SENDREQUEST_COMPLETE", "request RECEIVING_RESPONSE", "request RESPONSE_RECEIVED",
        "request HEADERS_AVAILABLE"), statuses.subList(0, 12));
    assertEquals(List.of("request HANDLE_CLOSING", "connect HANDLE_CLOSING",
        "session HANDLE_CLOSING"), statuses.subList(statuses.size() - 3, statuses.size()));
    Map<String, Object> resolving = lines.get(2);
    assertEquals(BigDecimal.ONE, resolving.get("value"));
    assertEquals(Map.of("host", "127.0.0.1"), resolving.get("payload"));
    long bodyRead = 0;
    for (Map<String, Object> line : lines) {
      if ("READ_COMPLETE".equals(line.get("status"))) {
        bodyRead += ((BigDecimal) map(line.get("payload")).get("bytes_read")).longValueExact();
      }
    }
    assertEquals(10, bodyRead);

    Map<String, Object> summary = map(lines.get(lines.size() - 1).get("summary"));
    assertEquals("GET", summary.get("method"));
    assertEquals("/json", summary.get("path"), "the query is left out");
    assertEquals(new BigDecimal(200), summary.get("status_code"));
    assertEquals(new BigDecimal(10), summary.get("body_bytes"));
    assertEquals(Boolean.TRUE, summary.get("complete"));
    assertEquals(Boolean.FALSE, summary.get("connection_reused"));
    for (String key : List.of("queued_ms", "resolve_ms", "connect_ms", "tls_ms", "send_ms",
        "wait_ms", "first_byte_ms", "download_ms", "total_ms", "bytes_sent", "bytes_received")) {
      assertTrue(summary.get(key) instanceof BigDecimal, key + " in " + summary);
    }
    assertTrue(((BigDecimal) summary.get("connect_ms")).signum() > 0, summary::toString);
  }

  @Test
  void aFailureIsInTheSummaryAndTheRequestErrorEvent() throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort(); // closed again: nothing listens there any more
    }
    assertEquals(Tracer.REQUEST_FAILED, Tracer.run(new String[] {"--json",
        "http://127.0.0.1:" + port + "/"}, out, out), this::output);
    List<Map<String, Object>> lines = lines();
    assertTrue(lines.stream().anyMatch(line -> "REQUEST_ERROR".equals(line.get("status"))
        && map(line.get("payload")).equals(Map.of("api", "SEND_REQUEST", "error", "CANNOT_CONNECT",
            "code", new BigDecimal(12029)))), this::output);
    Map<String, Object> summary = map(lines.get(lines.size() - 1).get("summary"));
    Map<String, Object> error = map(summary.get("error"));
    assertEquals("CANNOT_CONNECT", error.get("name"));
    assertEquals(new BigDecimal(12029), error.get("code"));
    assertFalse(summary.containsKey("status_code"), summary::toString);
  }
}
