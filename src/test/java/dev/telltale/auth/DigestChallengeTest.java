package dev.telltale.auth;

import static dev.telltale.testkit.Roundtrip.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.telltale.AuthScheme;
import dev.telltale.AuthTarget;
import dev.telltale.Request;
import dev.telltale.testkit.LeakCheck;
import dev.telltale.testkit.MockServerTest;
import dev.telltale.testkit.Roundtrip;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Digest (RFC 7616) against MockWebServer: the server's challenge is answered once automatically,
 * and the response the server receives is checked by recomputing it here from the RFC's
 * definitions, with the client's cnonce as sent.
 */
@ExtendWith(LeakCheck.class)
class DigestChallengeTest extends MockServerTest {
  private static final String REALM = "http-auth@example.org";


  private static MockResponse digestChallenge(String algorithm, String nonce) {
    return new MockResponse.Builder().code(401).addHeader("WWW-Authenticate",
        "Digest realm=\"" + REALM + "\", qop=\"auth, auth-int\", algorithm=" + algorithm
            + ", nonce=\"" + nonce + "\", opaque=\"FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS\"").build();
  }

  private RecordedRequest take() throws InterruptedException {
    return server.takeRequest(20, TimeUnit.SECONDS);
  }

  @Test
  void sha256ChallengeIsAnsweredAutomatically() throws Exception {
    server.enqueue(digestChallenge("SHA-256", "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v"));
    server.enqueue(new MockResponse.Builder().body("secret").build());
    try (Request request = connect.openRequest("GET", "/dir/index.html?x=1")) {
      request.setCredentials(AuthTarget.SERVER, AuthScheme.DIGEST, "Mufasa", "Circle of Life");
      assertEquals("secret", Roundtrip.run(request, 64).text());
    }
    assertNull(take().getHeaders().get("Authorization"), "digest needs the nonce first");
    RecordedRequest answered = take();
    Map<String, String> p = params(answered.getHeaders().get("Authorization"));
    assertEquals("Mufasa", p.get("username"));
    assertEquals(REALM, p.get("realm"));
    assertEquals("/dir/index.html?x=1", p.get("uri"));
    assertEquals("SHA-256", p.get("algorithm"));
    assertEquals("auth", p.get("qop"));
    assertEquals("00000001", p.get("nc"));
    assertEquals("FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS", p.get("opaque"));
    assertTrue(p.get("cnonce").length() >= 16, "a fresh random cnonce: " + p.get("cnonce"));
    assertEquals(expectedResponse("SHA-256", "Mufasa", "Circle of Life", "GET", p), p.get("response"));
  }

  @Test
  void md5ChallengeOfferedAfterBasicIsAnsweredWithDigest() throws Exception {
    server.enqueue(new MockResponse.Builder().code(401)
        .addHeader("WWW-Authenticate", "Basic realm=\"b\", Digest realm=\"" + REALM + "\", nonce=\"abc\", qop=auth")
        .build());
    server.enqueue(new MockResponse.Builder().body("ok").build());
    try (Request request = connect.openRequest("GET", "/md5")) {
      request.setCredentials(AuthTarget.SERVER, AuthScheme.DIGEST, "u", "p");
      assertEquals(200, Roundtrip.run(request, 64).status());
    }
    take();
    Map<String, String> p = params(take().getHeaders().get("Authorization"));
    assertEquals("MD5", p.get("algorithm"), "the default algorithm is MD5");
    assertEquals(expectedResponse("MD5", "u", "p", "GET", p), p.get("response"));
  }

  @Test
  void retryIsOneInternalCycleOnTheSameConnection() throws Exception {
    server.enqueue(digestChallenge("SHA-256", "n1"));
    server.enqueue(new MockResponse.Builder().body("ok").build());
    Request request = connect.openRequest("GET", "/");
    request.setCredentials(AuthTarget.SERVER, AuthScheme.DIGEST, "u", "p");
    Roundtrip.run(request, 64);
    request.close();
    rec.awaitClosing(request);
    RecordedRequest first = take();
    RecordedRequest second = take();
    assertEquals(first.getConnectionIndex(), second.getConnectionIndex(), "the empty 401 kept the connection");
    assertEquals("""
        SENDING_REQUEST
        REQUEST_SENT
        SENDREQUEST_COMPLETE
        RECEIVING_RESPONSE
        RESPONSE_RECEIVED
        SENDING_REQUEST
        REQUEST_SENT
        RECEIVING_RESPONSE
        RESPONSE_RECEIVED
        HEADERS_AVAILABLE
        """, String.join("\n", rec.lines().stream().filter(l -> l.startsWith("request "))
        .map(l -> l.substring("request ".length())).filter(l -> l.matches("(SEND|REQUEST_SENT|RECEIV|RESPONSE|HEADERS).*"))
        .map(l -> l.split(" ")[0]).toList()) + "\n");
  }

  @Test
  void aSecond401IsDeliveredToTheApplication() throws Exception {
    server.enqueue(digestChallenge("SHA-256", "n1"));
    server.enqueue(digestChallenge("SHA-256", "n2"));
    server.enqueue(new MockResponse.Builder().body("must not be requested").build());
    try (Request request = connect.openRequest("GET", "/")) {
      request.setCredentials(AuthTarget.SERVER, AuthScheme.DIGEST, "u", "wrong");
      assertEquals(401, Roundtrip.run(request, 64).status());
    }
    assertEquals(2, server.getRequestCount());
  }

  @Test
  void laterSendsReuseTheNonceWithTheNextCount() throws Exception {
    server.enqueue(digestChallenge("SHA-256", "n1"));
    server.enqueue(new MockResponse.Builder().body("one").build());
    server.enqueue(new MockResponse.Builder().body("two").build());
    try (Request request = connect.openRequest("GET", "/")) {
      request.setCredentials(AuthTarget.SERVER, AuthScheme.DIGEST, "u", "p");
      assertEquals("one", Roundtrip.run(request, 64).text());
      assertEquals("two", Roundtrip.run(request, 64).text());
    }
    take();
    assertEquals("00000001", params(take().getHeaders().get("Authorization")).get("nc"));
    Map<String, String> p = params(take().getHeaders().get("Authorization"));
    assertEquals("00000002", p.get("nc"));
    assertEquals(expectedResponse("SHA-256", "u", "p", "GET", p), p.get("response"));
  }

  @Test
  void aPostBodyGivenWithSendRequestIsSentAgain() throws Exception {
    server.enqueue(digestChallenge("SHA-256", "n1"));
    server.enqueue(new MockResponse.Builder().body("stored").build());
    try (Request request = connect.openRequest("POST", "/upload")) {
      request.setCredentials(AuthTarget.SERVER, AuthScheme.DIGEST, "u", "p");
      await(request.sendRequest(null, ByteBuffer.wrap("payload".getBytes(StandardCharsets.US_ASCII)), 7, null));
      assertEquals(200, await(request.receiveResponse()).statusCode());
    }
    assertEquals("payload", take().getBody().utf8());
    RecordedRequest retried = take();
    assertEquals("payload", retried.getBody().utf8());
    assertEquals(expectedResponse("SHA-256", "u", "p", "POST",
        params(retried.getHeaders().get("Authorization"))),
        params(retried.getHeaders().get("Authorization")).get("response"));
  }

  @Test
  void aStreamedBodyCannotBeReplayedSoThe401IsDelivered() throws Exception {
    server.enqueue(digestChallenge("SHA-256", "n1"));
    try (Request request = connect.openRequest("POST", "/upload")) {
      request.setCredentials(AuthTarget.SERVER, AuthScheme.DIGEST, "u", "p");
      await(request.sendRequest(null, null, 7, null));
      await(request.writeData(ByteBuffer.wrap("payload".getBytes(StandardCharsets.US_ASCII))));
      assertEquals(401, await(request.receiveResponse()).statusCode());
    }
    assertEquals(1, server.getRequestCount());
  }

  /** RFC 7616 §3.4.1 with qop=auth, computed here from the parameters the client sent. */
  static String expectedResponse(String algorithm, String user, String password, String method,
      Map<String, String> p) throws Exception {
    String ha1 = hex(algorithm, user + ":" + p.get("realm") + ":" + password);
    String ha2 = hex(algorithm, method + ":" + p.get("uri"));
    return hex(algorithm, ha1 + ":" + p.get("nonce") + ":" + p.get("nc") + ":" + p.get("cnonce")
        + ":" + p.get("qop") + ":" + ha2);
  }

  private static String hex(String algorithm, String text) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm)
        .digest(text.getBytes(StandardCharsets.UTF_8)));
  }

  /** The Authorization header's parameters, read with a regex independent of the library's parser. */
  static Map<String, String> params(String header) {
    assertTrue(header != null && header.startsWith("Digest "), "a Digest Authorization: " + header);
    Map<String, String> p = new HashMap<>();
    Matcher m = Pattern.compile("(\\w+)=(?:\"([^\"]*)\"|([^,\\s]+))").matcher(header.substring(7));
    while (m.find()) {
      p.put(m.group(1), m.group(2) != null ? m.group(2) : m.group(3));
    }
    return p;
  }
}
