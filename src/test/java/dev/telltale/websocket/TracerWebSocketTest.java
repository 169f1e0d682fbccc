package dev.telltale.websocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.telltale.testkit.LeakCheck;
import dev.telltale.tool.Tracer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** The tracer's ws:// mode: upgrade, send the -d message, print the echo, the events and the close. */
@ExtendWith(LeakCheck.class)
@Timeout(60)
class TracerWebSocketTest {
  private static final Pattern EVENT = Pattern.compile("^ *\\d+\\.\\d\\d ms  (\\w+) +([A-Z_]+)",
      Pattern.MULTILINE);

  @StartStop final MockWebServer server = new MockWebServer();
  private final ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(outBytes, true, StandardCharsets.UTF_8);

  private String output() {
    return outBytes.toString(StandardCharsets.UTF_8);
  }

  private List<String> events() {
    Matcher m = EVENT.matcher(output());
    List<String> events = new java.util.ArrayList<>();
    while (m.find()) {
      events.add(m.group(1) + " " + m.group(2));
    }
    return events;
  }

  @Test
  void wsModeSendsTheMessagePrintsTheEchoAndTheEvents() {
    EchoListener listener = new EchoListener(true, false);
    server.enqueue(new MockResponse.Builder().webSocketUpgrade(listener).build());
    String url = "ws://127.0.0.1:" + server.getPort() + "/echo";
    int status = Tracer.run(new String[] {url, "-d", "grüezi"}, out, new PrintStream(new ByteArrayOutputStream()));
    String text = output();
    assertEquals(Tracer.OK, status, text);
    assertTrue(text.contains("telltale: websocket " + url), text);
    assertTrue(text.contains("< HTTP/1.1 101 Switching Protocols"), text);
    assertTrue(text.contains("> grüezi"), text);
    assertTrue(text.contains("< " + EchoListener.BANNER), text);
    assertTrue(text.contains("\n< grüezi\n"), text);
    assertTrue(text.contains("closed: 1000 success"), text);
    assertEquals(List.of(
        "session HANDLE_CREATED", "request HANDLE_CREATED",
        "request RESOLVING_NAME", "request NAME_RESOLVED", "request CONNECTING_TO_SERVER",
        "request CONNECTED_TO_SERVER", "request SENDING_REQUEST", "request REQUEST_SENT",
        "request SENDREQUEST_COMPLETE", "request RECEIVING_RESPONSE", "request RESPONSE_RECEIVED",
        "request HEADERS_AVAILABLE", "request HANDLE_CREATED", "request HANDLE_CLOSING",
        "websocket WRITE_COMPLETE", "websocket READ_COMPLETE", "websocket READ_COMPLETE",
        "websocket CLOSE_COMPLETE", "websocket HANDLE_CLOSING",
        "connect HANDLE_CLOSING", "session HANDLE_CLOSING"), events());
  }

  @Test
  void aServerThatDoesNotUpgradeIsAFailure() {
    server.enqueue(new MockResponse.Builder().code(200).body("no websocket here").build());
    int status = Tracer.run(new String[] {"ws://127.0.0.1:" + server.getPort() + "/"}, out,
        new PrintStream(new ByteArrayOutputStream()));
    assertEquals(Tracer.REQUEST_FAILED, status, output());
    assertTrue(output().contains("did not switch to the websocket protocol"), output());
  }

  @Test
  void outputFileAndMethodDoNotApplyToAWebSocket() {
    int status = Tracer.run(new String[] {"-X", "POST", "ws://127.0.0.1:1/"}, out,
        new PrintStream(new ByteArrayOutputStream()));
    assertEquals(Tracer.USAGE, status);
  }
}
