package dev.telltale.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.telltale.AuthScheme;
import dev.telltale.Connect;
import dev.telltale.Request;
import dev.telltale.Session;
import dev.telltale.testkit.LeakCheck;
import dev.telltale.testkit.Roundtrip;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The WinHTTP application flow: a 401 Digest challenge reaches the application, which calls
 * queryAuthSchemes and setCredentials, then sends again on the same handle. WinHTTP keeps the
 * challenge on the handle, so that send carries the Digest answer: two requests in all. (An
 * earlier telltale forgot unanswered challenges and drew a second 401.)
 */
@ExtendWith(LeakCheck.class)
@Timeout(60)
class SetCredentialsAfterChallengeTest {
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
  void theSendAfterSetCredentialsAnswersTheChallengeTheApplicationSaw() throws Exception {
    server.enqueue(challenge("n1"));
    server.enqueue(new MockResponse.Builder().body("ok").build());
    Session session = Session.open();
    try (Connect connect = session.connect("127.0.0.1", server.getPort());
        Request request = connect.openRequest("GET", "/d")) {
      assertEquals(401, Roundtrip.run(request, 64).status());
      request.setCredentials(request.queryAuthSchemes().target(), AuthScheme.DIGEST, "u", "p");
      Roundtrip.run(request, 64);
    } finally {
      session.close();
      session.awaitTermination(Duration.ofSeconds(10));
    }
    assertNull(take().getHeaders().get("Authorization"));
    assertNotNull(take().getHeaders().get("Authorization"), "the send after"
        + " queryAuthSchemes + setCredentials(SERVER, DIGEST) carries the Digest answer to the"
        + " 401 the application received, as WinHTTP's does (it keeps the challenge on the handle)");
    assertEquals(2, server.getRequestCount());
  }
}
