package dev.telltale.tool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.telltale.testkit.LeakCheck;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The tracer's {@code -u} answers a Digest 401 the way a WinHTTP application does
 * (queryAuthSchemes, setCredentials, send again), and that second send carries the answer to the
 * challenge the first one received: two requests in all, not a second 401 and a third request.
 */
@ExtendWith(LeakCheck.class)
@Timeout(60)
class TracerDigestFlowTest {
  @StartStop final MockWebServer server = new MockWebServer();

  private MockResponse challenge(String nonce) {
    return new MockResponse.Builder().code(401)
        .addHeader("WWW-Authenticate", "Digest realm=\"r\", nonce=\"" + nonce + "\", qop=\"auth\"")
        .build();
  }

  private RecordedRequest take() throws InterruptedException {
    RecordedRequest request = server.takeRequest(20, TimeUnit.SECONDS);
    assertNotNull(request, "no request reached the server");
    return request;
  }

  @Test
  void theTracersDigestFlowTakesTwoRequests() throws Exception {
    server.enqueue(challenge("n1"));
    server.enqueue(new MockResponse.Builder().body("ok").build());
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    assertEquals(Tracer.OK, Tracer.run(new String[] {"-u", "u:p",
        "http://127.0.0.1:" + server.getPort() + "/d"}, out, out), bytes::toString);
    take();
    assertNotNull(take().getHeaders().get("Authorization"), "the send after setCredentials(SERVER,"
        + " DIGEST) answers the challenge the application received");
    assertEquals(2, server.getRequestCount(), "two requests, as with WinHTTP");
  }
}
