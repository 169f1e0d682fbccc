package dev.telltale.internal.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.telltale.AuthScheme;
import dev.telltale.AuthSchemes;
import dev.telltale.AuthTarget;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AuthenticatorTest {
  private static final List<String> BASIC = List.of("Basic realm=\"r\"");
  private static final List<String> DIGEST = List.of("Digest realm=\"r\", nonce=\"n1\", qop=auth");

  private final Authenticator auth = new Authenticator(() -> "cn");

  private List<String> fields(boolean toOrigin, boolean viaProxy) {
    List<String> out = new ArrayList<>();
    auth.addFields("GET", "/p", toOrigin, viaProxy, out);
    return out;
  }

  @Test
  void nothingWithoutCredentials() {
    auth.beginSend();
    assertEquals(List.of(), fields(true, true));
    assertFalse(auth.shouldRetry(401, BASIC, true, true, true));
  }

  @Test
  void basicServerCredentialsArePreemptive() {
    auth.setCredentials(AuthTarget.SERVER, AuthScheme.BASIC, "Aladdin", "open sesame");
    auth.beginSend();
    assertEquals(List.of("Authorization", "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ=="), fields(true, false));
  }

  @Test
  void refusedBasicCredentialsAreNotSentAgain() {
    auth.setCredentials(AuthTarget.SERVER, AuthScheme.BASIC, "u", "p");
    auth.beginSend();
    fields(true, false);
    assertFalse(auth.shouldRetry(401, BASIC, true, false, true));
  }

  @Test
  void serverCredentialsStayWithTheirOrigin() {
    auth.setCredentials(AuthTarget.SERVER, AuthScheme.BASIC, "u", "p");
    auth.beginSend();
    assertEquals(List.of(), fields(false, false));
    assertFalse(auth.shouldRetry(401, BASIC, false, false, true));
  }

  @Test
  void digestAnswersOnceAndCountsTheNonce() {
    auth.setCredentials(AuthTarget.SERVER, AuthScheme.DIGEST, "u", "p");
    auth.beginSend();
    assertEquals(List.of(), fields(true, false), "no nonce yet: nothing pre-emptive");
    assertTrue(auth.shouldRetry(401, DIGEST, true, false, true));
    assertEquals("00000001", DigestAuthTest.params(fields(true, false).get(1)).get("nc"));
    assertFalse(auth.shouldRetry(401, DIGEST, true, false, true), "a second 401 goes to the application");
    auth.beginSend();
    assertEquals("00000002", DigestAuthTest.params(fields(true, false).get(1)).get("nc"),
        "the next send reuses the nonce");
    assertTrue(auth.shouldRetry(401, List.of("Digest realm=\"r\", nonce=\"n2\", stale=true, qop=auth"),
        true, false, true), "a new nonce is answered");
    assertEquals("00000001", DigestAuthTest.params(fields(true, false).get(1)).get("nc"));
  }

  @Test
  void challengeForAnotherSchemeIsNotAnswered() {
    auth.setCredentials(AuthTarget.SERVER, AuthScheme.DIGEST, "u", "p");
    auth.beginSend();
    assertFalse(auth.shouldRetry(401, BASIC, true, false, true));
  }

  @Test
  void unreplayableBodyIsNotRetried() {
    auth.setCredentials(AuthTarget.SERVER, AuthScheme.DIGEST, "u", "p");
    auth.beginSend();
    assertFalse(auth.shouldRetry(401, DIGEST, true, false, false));
  }

  @Test
  void proxyCredentialsGoOnlyToAProxyAndOnlyAfterItsChallenge() {
    auth.setCredentials(AuthTarget.PROXY, AuthScheme.BASIC, "pu", "pp");
    auth.beginSend();
    assertEquals(List.of(), fields(true, true), "not pre-emptive");
    assertFalse(auth.shouldRetry(407, BASIC, true, false, true), "a 407 without a proxy is not answered");
    assertTrue(auth.shouldRetry(407, BASIC, true, true, true));
    assertEquals(List.of("Proxy-Authorization", "Basic cHU6cHA="), fields(true, true));
    assertEquals(List.of(), fields(true, false), "never to a server");
  }

  @Test
  void queryAuthSchemesReportsOfferedSchemesFirstAndTarget() {
    AuthSchemes schemes = Authenticator.schemesOf(401, List.of("Negotiate", "NTLM, Digest realm=r, nonce=n",
        "Basic realm=r", "Bearer"));
    assertEquals(Set.of(AuthScheme.NEGOTIATE, AuthScheme.NTLM, AuthScheme.DIGEST, AuthScheme.BASIC),
        schemes.supported());
    assertEquals(AuthScheme.NEGOTIATE, schemes.first());
    assertEquals(AuthTarget.SERVER, schemes.target());
    assertEquals(AuthTarget.PROXY, Authenticator.schemesOf(407, BASIC).target());
    assertNull(Authenticator.schemesOf(200, BASIC));
    assertNull(Authenticator.schemesOf(401, List.of("Bearer")));
  }

  @Test
  void aRefusedDigestAnswerIsNotRetriedUnlessTheNonceWasStale() {
    auth.setCredentials(AuthTarget.SERVER, AuthScheme.DIGEST, "u", "p");
    auth.beginSend();
    assertTrue(auth.shouldRetry(401, DIGEST, true, false, true));
    fields(true, false); // the answer goes out
    auth.beginSend(); // the application sends again after its own look at the refusal
    fields(true, false);
    assertFalse(auth.shouldRetry(401, List.of("Digest realm=\"r\", nonce=\"n2\", qop=auth"),
        true, false, true), "wrong credentials: the 401 is the application's");
  }

  @Test
  void credentialsSetAfterAnUnansweredChallengeAnswerItOnTheNextSend() {
    auth.beginSend();
    assertFalse(auth.shouldRetry(401, DIGEST, true, false, true), "no credentials yet");
    auth.setCredentials(AuthTarget.SERVER, AuthScheme.DIGEST, "u", "p");
    auth.beginSend();
    List<String> out = fields(true, false);
    assertEquals("Authorization", out.get(0));
    assertTrue(out.get(1).contains("nonce=\"n1\"") && out.get(1).contains("nc=00000001"), out.get(1));
  }

  @Test
  void proxyBasicSetAfterA407GoesWithTheNextSend() {
    auth.beginSend();
    assertFalse(auth.shouldRetry(407, BASIC, true, true, true));
    auth.setCredentials(AuthTarget.PROXY, AuthScheme.BASIC, "u", "p");
    auth.beginSend();
    assertEquals(List.of("Proxy-Authorization", "Basic dTpw"), fields(true, true));
  }
}
