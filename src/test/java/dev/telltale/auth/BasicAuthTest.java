package dev.telltale.auth;

import static dev.telltale.testkit.Roundtrip.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.telltale.AuthScheme;
import dev.telltale.AuthSchemes;
import dev.telltale.AuthTarget;
import dev.telltale.ErrorCode;
import dev.telltale.HandleException;
import dev.telltale.Request;
import dev.telltale.testkit.LeakCheck;
import dev.telltale.testkit.MockServerTest;
import dev.telltale.testkit.Roundtrip;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Basic (RFC 7617) credentials, WinHttpQueryAuthSchemes and the call-time rules of setCredentials. */
@ExtendWith(LeakCheck.class)
class BasicAuthTest extends MockServerTest {

  private static MockResponse challenge(String... values) {
    MockResponse.Builder b = new MockResponse.Builder().code(401).body("login first");
    for (String v : values) {
      b.addHeader("WWW-Authenticate", v);
    }
    return b.build();
  }

  private RecordedRequest take() throws InterruptedException {
    return server.takeRequest(20, TimeUnit.SECONDS);
  }

  private static String basic(String user, String password) {
    return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void basicCredentialsSetBeforeTheFirstSendArePreemptive() throws Exception {
    server.enqueue(new MockResponse.Builder().body("welcome").build());
    try (Request request = connect.openRequest("GET", "/private")) {
      request.setCredentials(AuthTarget.SERVER, AuthScheme.BASIC, "Aladdin", "open sesame");
      assertEquals("welcome", Roundtrip.run(request, 64).text());
    }
    assertEquals("Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==", take().getHeaders().get("Authorization"));
  }

  @Test
  void basicUsesUtf8() throws Exception {
    server.enqueue(new MockResponse.Builder().body("ok").build());
    try (Request request = connect.openRequest("GET", "/")) {
      request.setCredentials(AuthTarget.SERVER, AuthScheme.BASIC, "test", "123\u00a3");
      Roundtrip.run(request, 64);
    }
    assertEquals("Basic dGVzdDoxMjPCow==", take().getHeaders().get("Authorization")); // RFC 7617 §2.1
  }

  @Test
  void refusedBasicCredentialsDeliverThe401WithoutAnotherTry() throws Exception {
    server.enqueue(challenge("Basic realm=\"r\""));
    server.enqueue(new MockResponse.Builder().body("must not be requested").build());
    try (Request request = connect.openRequest("GET", "/private")) {
      request.setCredentials(AuthTarget.SERVER, AuthScheme.BASIC, "u", "wrong");
      Roundtrip.Response response = Roundtrip.run(request, 64);
      assertEquals(401, response.status());
      assertEquals("login first", response.text());
    }
    assertEquals(1, server.getRequestCount());
  }

  @Test
  void queryAuthSchemesAfterA401ThenCredentialsAndSendAgain() throws Exception {
    server.enqueue(challenge("Basic realm=\"files\"", "Digest realm=\"files\", nonce=\"n\", qop=auth"));
    server.enqueue(new MockResponse.Builder().body("the file").build());
    try (Request request = connect.openRequest("GET", "/file")) {
      assertEquals(401, Roundtrip.run(request, 64).status());
      AuthSchemes schemes = request.queryAuthSchemes();
      assertEquals(new AuthSchemes(Set.of(AuthScheme.BASIC, AuthScheme.DIGEST), AuthScheme.BASIC,
          AuthTarget.SERVER), schemes);
      request.setCredentials(AuthTarget.SERVER, schemes.first(), "user", "pass");
      assertEquals("the file", Roundtrip.run(request, 64).text());
    }
    assertNull(take().getHeaders().get("Authorization"));
    assertEquals(basic("user", "pass"), take().getHeaders().get("Authorization"));
  }

  @Test
  void queryAuthSchemesReportsSchemesTelltaleCannotAnswer() throws Exception {
    server.enqueue(challenge("Negotiate", "NTLM"));
    try (Request request = connect.openRequest("GET", "/")) {
      Roundtrip.run(request, 64);
      AuthSchemes schemes = request.queryAuthSchemes();
      assertEquals(Set.of(AuthScheme.NEGOTIATE, AuthScheme.NTLM), schemes.supported());
      assertEquals(AuthScheme.NEGOTIATE, schemes.first());
      HandleException refused = assertThrows(HandleException.class,
          () -> request.setCredentials(AuthTarget.SERVER, AuthScheme.NTLM, "u", "p"));
      assertEquals(ErrorCode.INVALID_PARAMETER, refused.code());
    }
  }

  @Test
  void queryAuthSchemesOnA200IsAnInvalidOperation() throws Exception {
    server.enqueue(new MockResponse.Builder().body("ok").build());
    try (Request request = connect.openRequest("GET", "/")) {
      assertEquals(ErrorCode.INCORRECT_HANDLE_STATE,
          assertThrows(HandleException.class, request::queryAuthSchemes).code());
      await(request.sendRequest());
      await(request.receiveResponse());
      assertEquals(ErrorCode.INVALID_OPERATION,
          assertThrows(HandleException.class, request::queryAuthSchemes).code());
    }
  }

  @Test
  void nullUserOrPasswordIsAnInvalidArgument() {
    try (Request request = connect.openRequest("GET", "/")) {
      assertThrows(IllegalArgumentException.class,
          () -> request.setCredentials(AuthTarget.SERVER, AuthScheme.BASIC, null, "p"));
      assertThrows(IllegalArgumentException.class,
          () -> request.setCredentials(AuthTarget.SERVER, AuthScheme.DIGEST, "u", null));
    }
  }

  @Test
  void proxyCredentialsNeverGoToAServerThatAnswers407() throws Exception {
    server.enqueue(new MockResponse.Builder().code(407)
        .addHeader("Proxy-Authenticate", "Basic realm=\"proxy\"").build());
    try (Request request = connect.openRequest("GET", "/")) {
      request.setCredentials(AuthTarget.PROXY, AuthScheme.BASIC, "pu", "pp");
      assertEquals(407, Roundtrip.run(request, 64).status());
      assertEquals(new AuthSchemes(Set.of(AuthScheme.BASIC), AuthScheme.BASIC, AuthTarget.PROXY),
          request.queryAuthSchemes());
    }
    RecordedRequest only = take();
    assertNull(only.getHeaders().get("Proxy-Authorization"));
    assertNull(only.getHeaders().get("Authorization"));
    assertEquals(1, server.getRequestCount());
  }
}
