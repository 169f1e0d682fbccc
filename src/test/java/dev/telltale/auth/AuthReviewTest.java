package dev.telltale.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.telltale.AuthScheme;
import dev.telltale.AuthTarget;
import dev.telltale.Connect;
import dev.telltale.Request;
import dev.telltale.internal.auth.Challenge;
import dev.telltale.internal.auth.ChallengeParser;
import dev.telltale.testkit.LeakCheck;
import dev.telltale.testkit.MockServerTest;
import dev.telltale.testkit.Roundtrip;
import java.util.List;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Review of the automatic answer to challenges: stale nonces (RFC 7616 §3.3), several challenges
 * spread over several fields, and a proxy's 407 followed by the origin's 401.
 */
@ExtendWith(LeakCheck.class)
class AuthReviewTest extends MockServerTest {

  private RecordedRequest take() throws InterruptedException {
    return server.takeRequest(20, TimeUnit.SECONDS);
  }

  private static MockResponse digest(String nonce, boolean stale) {
    return new MockResponse.Builder().code(401).addHeader("WWW-Authenticate", "Digest realm=\"r\", qop=\"auth\", nonce=\""
        + nonce + "\"" + (stale ? ", stale=true" : "")).build();
  }

  /**
   * A server with short-lived nonces: the answered challenge leads to a redirect, and the next hop
   * (same origin) is refused with {@code stale=true} and a fresh nonce. The credentials were right,
   * so RFC 7616 §3.3 says to retry with the new nonce without asking the user; delivering the 401
   * would make the application resend the whole thing.
   */
  @Test
  void aStaleNonceLaterInTheSameSendIsAnsweredWithTheFreshNonce() throws Exception {
    server.enqueue(digest("first", false));
    server.enqueue(new MockResponse.Builder().code(302).addHeader("Location", "/next").build());
    server.enqueue(digest("second", true));
    server.enqueue(new MockResponse.Builder().body("made it").build());
    try (Request request = connect.openRequest("GET", "/start")) {
      request.setCredentials(AuthTarget.SERVER, AuthScheme.DIGEST, "u", "p");
      assertEquals("made it", Roundtrip.run(request, 64).text());
    }
    take();
    assertTrue(take().getHeaders().get("Authorization").contains("nonce=\"first\""));
    assertTrue(take().getHeaders().get("Authorization").contains("nonce=\"first\""), "the next hop reuses it");
    String last = take().getHeaders().get("Authorization");
    assertTrue(last.contains("nonce=\"second\"") && last.contains("nc=00000001"), last);
  }

  /** A stale challenge that keeps coming is not answered forever: the second one is delivered. */
  @Test
  void aServerThatIsAlwaysStaleGetsItsSecondStale401Delivered() throws Exception {
    server.enqueue(digest("a", false));
    server.enqueue(digest("b", true));
    server.enqueue(digest("c", true));
    server.enqueue(new MockResponse.Builder().body("must not be requested").build());
    try (Request request = connect.openRequest("GET", "/")) {
      request.setCredentials(AuthTarget.SERVER, AuthScheme.DIGEST, "u", "p");
      assertEquals(401, Roundtrip.run(request, 64).status());
    }
    assertEquals(3, server.getRequestCount());
  }

  /**
   * The stale retry is for a fresh nonce only, and only after a Digest response was sent: a
   * stale challenge repeating the nonce just used, or one arriving when nothing was sent, is not
   * answered a second time (pure, on the Authenticator).
   */
  @Test
  void aStaleChallengeWithTheSameNonceIsNotAnsweredTwice() {
    dev.telltale.internal.auth.Authenticator auth = new dev.telltale.internal.auth.Authenticator(() -> "c");
    auth.setCredentials(AuthTarget.SERVER, AuthScheme.DIGEST, "u", "p");
    auth.beginSend();
    List<String> fields = new java.util.ArrayList<>();
    auth.addFields("GET", "/", true, false, fields);
    assertTrue(fields.isEmpty(), "no nonce yet");
    assertTrue(auth.shouldRetry(401, List.of("Digest realm=\"r\", nonce=\"n1\", qop=auth"), true, false, true));
    auth.addFields("GET", "/", true, false, fields);
    assertEquals("Authorization", fields.get(0));
    assertFalse(auth.shouldRetry(401, List.of("Digest realm=\"r\", nonce=\"n1\", qop=auth, stale=true"),
        true, false, true), "the same nonce cannot be stale and fresh");
    assertTrue(auth.shouldRetry(401, List.of("Digest realm=\"r\", nonce=\"n2\", qop=auth, stale=true"),
        true, false, true));
    fields.clear();
    auth.addFields("GET", "/", true, false, fields);
    assertTrue(fields.get(1).contains("nonce=\"n2\"") && fields.get(1).contains("nc=00000001"), fields.get(1));
    assertFalse(auth.shouldRetry(401, List.of("Digest realm=\"r\", nonce=\"n3\", qop=auth, stale=true"),
        true, false, true), "one stale retry per send");
    auth.beginSend();
    assertTrue(auth.shouldRetry(401, List.of("Digest realm=\"r\", nonce=\"n3\", qop=auth, stale=true"),
        true, false, true), "a new send may be answered again");
  }

  /** Wrong Digest credentials are refused with a new nonce but no stale flag: no second try. */
  @Test
  void aNonStaleSecondChallengeIsDelivered() throws Exception {
    server.enqueue(digest("a", false));
    server.enqueue(digest("b", false));
    server.enqueue(new MockResponse.Builder().body("must not be requested").build());
    try (Request request = connect.openRequest("GET", "/")) {
      request.setCredentials(AuthTarget.SERVER, AuthScheme.DIGEST, "u", "wrong");
      assertEquals(401, Roundtrip.run(request, 64).status());
    }
    assertEquals(2, server.getRequestCount());
  }

  /**
   * Challenges in two fields, the second holding an unknown scheme with a quoted comma before the
   * Digest challenge with {@code qop="auth,auth-int"}: Digest credentials answer with qop=auth.
   */
  @Test
  void digestIsFoundAmongSeveralChallengesInSeveralFields() throws Exception {
    server.enqueue(new MockResponse.Builder().code(401)
        .addHeader("WWW-Authenticate", "Basic realm=\"simple\", charset=\"UTF-8\"")
        .addHeader("WWW-Authenticate", "Newauth realm=\"apps\", type=1, title=\"Login, \\\"apps\\\"\", "
            + "Digest realm=\"r\", nonce=\"n1\", qop=\"auth,auth-int\", algorithm=MD5")
        .build());
    server.enqueue(new MockResponse.Builder().body("in").build());
    try (Request request = connect.openRequest("GET", "/")) {
      request.setCredentials(AuthTarget.SERVER, AuthScheme.DIGEST, "u", "p");
      assertEquals("in", Roundtrip.run(request, 64).text());
    }
    take();
    String answer = take().getHeaders().get("Authorization");
    assertTrue(answer.startsWith("Digest ") && answer.contains("qop=auth,") && answer.contains("nonce=\"n1\""), answer);

    List<Challenge> parsed = ChallengeParser.parse(List.of("Newauth realm=\"apps\", type=1, "
        + "title=\"Login, \\\"apps\\\"\", Digest realm=\"r\", nonce=\"n1\""));
    assertEquals(2, parsed.size());
    assertEquals("Login, \"apps\"", parsed.get(0).param("title"));
    assertEquals("n1", parsed.get(1).param("nonce"));
  }

  /**
   * Plain http through an HTTP proxy that wants Basic and an origin that wants Digest: the 407
   * and then the 401 are each answered once, and the final attempt carries both fields.
   */
  @Test
  void aProxy407ThenAServer401AreBothAnswered() throws Exception {
    server.enqueue(new MockResponse.Builder().code(407)
        .addHeader("Proxy-Authenticate", "Basic realm=\"proxy\"").build());
    server.enqueue(digest("n", false));
    server.enqueue(new MockResponse.Builder().body("both").build());
    Connect origin = session.connect("origin.test", 80);
    try (Request request = origin.openRequest("GET", "/x")) {
      request.setOption(dev.telltale.Option.PROXY, dev.telltale.ProxySettings.http("127.0.0.1", server.getPort()));
      request.setCredentials(AuthTarget.PROXY, AuthScheme.BASIC, "pu", "pp");
      request.setCredentials(AuthTarget.SERVER, AuthScheme.DIGEST, "su", "sp");
      assertEquals("both", Roundtrip.run(request, 64).text());
    } finally {
      origin.close();
    }
    RecordedRequest first = take();
    assertNull(first.getHeaders().get("Authorization"));
    RecordedRequest second = take();
    assertEquals("Basic cHU6cHA=", second.getHeaders().get("Proxy-Authorization"));
    RecordedRequest third = take();
    assertEquals("Basic cHU6cHA=", third.getHeaders().get("Proxy-Authorization"));
    String authorization = third.getHeaders().get("Authorization");
    assertTrue(authorization.startsWith("Digest username=\"su\"")
        && authorization.contains("uri=\"http://origin.test/x\""), authorization);
  }
}
