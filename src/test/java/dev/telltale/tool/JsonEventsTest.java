package dev.telltale.tool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.telltale.AsyncApi;
import dev.telltale.ErrorCode;
import dev.telltale.HttpException;
import dev.telltale.SecureFailureFlag;
import dev.telltale.StatusEvent;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The JSON lines: escaping, and each record's payload, checked by a separate parser. */
class JsonEventsTest {
  @Test
  void stringsAreEscapedSoThatAnObjectStaysOnOneLineAndParsesBack() {
    String nasty = "quote \" backslash \\ slash / newline \n cr \r tab \t nul \0 bell \u0007 "
        + "del \u007f sep \u2028 é ✓";
    String line = new JsonWriter().field("s", nasty).field("n", -42).field("b", true)
        .field("list", List.of("a", "\"b\"")).field("none", (String) null)
        .millis("ms", Duration.ofNanos(1_234_567)).end();
    assertEquals(-1, line.indexOf('\n'));
    assertEquals(-1, line.indexOf('\r'));
    Map<String, Object> parsed = MiniJson.object(line);
    assertEquals(nasty, parsed.get("s"));
    assertEquals(new BigDecimal("-42"), parsed.get("n"));
    assertEquals(Boolean.TRUE, parsed.get("b"));
    assertEquals(List.of("a", "\"b\""), parsed.get("list"));
    assertEquals(MiniJson.NULL, parsed.get("none"));
    assertEquals(new BigDecimal("1.235"), parsed.get("ms"));
    assertEquals("{}", new JsonWriter().end());
  }

  @Test
  void theTestParserRejectsWhatIsNotJson() {
    for (String bad : new String[] {"", "{", "{\"a\":1,}", "{'a':1}", "{\"a\":01}", "{\"a\":1} x",
        "{\"a\":\"raw\nnewline\"}", "{\"a\":\"\\x\"}", "[1 2]", "{\"a\":1,\"a\":2}", "tru"}) {
      assertThrows(IllegalArgumentException.class, () -> MiniJson.parse(bad), bad);
    }
  }

  @Test
  void anEventLineHasTimeHandleStatusValueAndPayload() {
    String line = JsonEvents.event(1_234_567, "request", new StatusEvent.ResolvingName("example.com"));
    assertEquals("{\"t_ms\":1.23,\"handle\":\"request\",\"status\":\"RESOLVING_NAME\",\"value\":1,"
        + "\"payload\":{\"host\":\"example.com\"}}", line);
    assertEquals(Map.of("t_ms", new BigDecimal("1.23"), "handle", "request", "status",
        "RESOLVING_NAME", "value", BigDecimal.ONE, "payload", Map.of("host", "example.com")),
        MiniJson.object(line));
  }

  @Test
  void eachRecordHasItsFieldsAsPayload() throws Exception {
    InetAddress loopback = InetAddress.getByName("127.0.0.1");
    assertPayload("{\"host\":\"localhost\",\"addresses\":[\"127.0.0.1\"]}",
        new StatusEvent.NameResolved("localhost", List.of(loopback)));
    assertPayload("{\"address\":\"127.0.0.1\",\"port\":8080}",
        new StatusEvent.ConnectingToServer(new InetSocketAddress(loopback, 8080)));
    assertPayload("{\"address\":\"127.0.0.1\",\"port\":8080}",
        new StatusEvent.ConnectedToServer(new InetSocketAddress(loopback, 8080)));
    assertPayload("{\"bytes_sent\":72}", new StatusEvent.RequestSent(72));
    assertPayload("{\"bytes_received\":117}", new StatusEvent.ResponseReceived(117));
    assertPayload("{\"status_code\":100}", new StatusEvent.IntermediateResponse(100));
    assertPayload("{\"bytes_available\":5}", new StatusEvent.DataAvailable(5));
    assertPayload("{\"bytes_written\":6}", new StatusEvent.WriteComplete(6));
    assertPayload("{}", new StatusEvent.SendingRequest());
    assertPayload("{}", new StatusEvent.HeadersAvailable());
    assertPayload("{\"flags\":[\"INVALID_CERT\",\"CERT_REVOKED\"]}", new StatusEvent.SecureFailure(
        EnumSet.of(SecureFailureFlag.CERT_REVOKED, SecureFailureFlag.INVALID_CERT)));
    assertPayload("{\"api\":\"SEND_REQUEST\",\"error\":\"CANNOT_CONNECT\",\"code\":12029}",
        new StatusEvent.RequestError(AsyncApi.SEND_REQUEST,
            new HttpException(ErrorCode.CANNOT_CONNECT, "refused")));
  }

  @Test
  void aRedirectsLocationLeavesOutUserInfoAndQuery() {
    String payload = JsonEvents.payload(new StatusEvent.Redirect(
        URI.create("https://user:secret@example.com/next?token=secret#frag"))).end();
    Object location = MiniJson.object(payload).get("location");
    assertEquals(-1, payload.indexOf("secret"), payload);
    assertEquals(true, location.toString().startsWith("https://example.com/next"), payload);
  }

  private static void assertPayload(String expected, StatusEvent event) {
    String payload = JsonEvents.payload(event).end();
    assertEquals(expected, payload);
    MiniJson.object(payload);
  }
}
