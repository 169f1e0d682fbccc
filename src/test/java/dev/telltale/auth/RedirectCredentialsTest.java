package dev.telltale.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.telltale.AuthScheme;
import dev.telltale.AuthTarget;
import dev.telltale.Request;
import dev.telltale.testkit.LeakCheck;
import dev.telltale.testkit.MockServerTest;
import dev.telltale.testkit.Roundtrip;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Credentials set with setCredentials stay with the origin (scheme, host, port) they were sent to. */
@ExtendWith(LeakCheck.class)
class RedirectCredentialsTest extends MockServerTest {
  @StartStop final MockWebServer other = new MockWebServer();

  private static MockResponse redirectTo(String location) {
    return new MockResponse.Builder().code(302).addHeader("Location", location).build();
  }

  @Test
  void basicCredentialsAreNotSentToAnotherOrigin() throws Exception {
    server.enqueue(redirectTo("http://127.0.0.1:" + other.getPort() + "/elsewhere"));
    other.enqueue(new MockResponse.Builder().body("moved").build());
    try (Request request = connect.openRequest("GET", "/start")) {
      request.setCredentials(AuthTarget.SERVER, AuthScheme.BASIC, "u", "p");
      assertEquals("moved", Roundtrip.run(request, 64).text());
    }
    assertNotNull(server.takeRequest(20, TimeUnit.SECONDS).getHeaders().get("Authorization"));
    assertNull(other.takeRequest(20, TimeUnit.SECONDS).getHeaders().get("Authorization"));
  }

  @Test
  void anotherOriginsChallengeIsNotAnswered() throws Exception {
    server.enqueue(redirectTo("http://127.0.0.1:" + other.getPort() + "/elsewhere"));
    other.enqueue(new MockResponse.Builder().code(401)
        .addHeader("WWW-Authenticate", "Digest realm=\"r\", nonce=\"n\", qop=auth").build());
    other.enqueue(new MockResponse.Builder().body("must not be requested").build());
    try (Request request = connect.openRequest("GET", "/start")) {
      request.setCredentials(AuthTarget.SERVER, AuthScheme.DIGEST, "u", "p");
      assertEquals(401, Roundtrip.run(request, 64).status());
    }
    assertEquals(1, other.getRequestCount());
    server.takeRequest(20, TimeUnit.SECONDS);
    assertNull(other.takeRequest(20, TimeUnit.SECONDS).getHeaders().get("Authorization"));
  }

  @Test
  void aRedirectWithinTheOriginKeepsTheCredentials() throws Exception {
    server.enqueue(redirectTo("/next"));
    server.enqueue(new MockResponse.Builder().body("here").build());
    try (Request request = connect.openRequest("GET", "/start")) {
      request.setCredentials(AuthTarget.SERVER, AuthScheme.BASIC, "u", "p");
      assertEquals("here", Roundtrip.run(request, 64).text());
    }
    server.takeRequest(20, TimeUnit.SECONDS);
    assertEquals("Basic dTpw", server.takeRequest(20, TimeUnit.SECONDS).getHeaders().get("Authorization"));
  }
}
