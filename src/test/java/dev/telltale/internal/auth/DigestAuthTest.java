package dev.telltale.internal.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** RFC 7616 §3.9.1: the example exchange, reproduced exactly with the RFC's cnonce. */
class DigestAuthTest {
  private static final String NONCE = "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v";
  private static final String OPAQUE = "FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS";
  private static final String CNONCE = "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ";

  private static Challenge rfcChallenge(String algorithm) {
    return ChallengeParser.parse("Digest realm=\"http-auth@example.org\", qop=\"auth, auth-int\", "
        + "algorithm=" + algorithm + ", nonce=\"" + NONCE + "\", opaque=\"" + OPAQUE + "\"").get(0);
  }

  private static String rfcAuthorization(String algorithm) {
    return DigestAuth.forChallenge(rfcChallenge(algorithm))
        .authorization("Mufasa", "Circle of Life", "GET", "/dir/index.html", 1, CNONCE);
  }

  @Test
  void rfc7616Sha256Example() {
    assertEquals("Digest username=\"Mufasa\", realm=\"http-auth@example.org\", uri=\"/dir/index.html\", "
        + "algorithm=SHA-256, nonce=\"" + NONCE + "\", nc=00000001, cnonce=\"" + CNONCE + "\", qop=auth, "
        + "response=\"753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1\", "
        + "opaque=\"" + OPAQUE + "\"", rfcAuthorization("SHA-256"));
  }

  @Test
  void rfc7616Md5Example() {
    assertEquals("8ca523f5e9506fed4657c9700eebdbec", params(rfcAuthorization("MD5")).get("response"));
  }

  @Test
  void sessionVariantHashesNonceAndCnonceIntoHa1() throws Exception {
    String header = rfcAuthorization("SHA-256-sess");
    String ha1 = hex("SHA-256", hex("SHA-256", "Mufasa:http-auth@example.org:Circle of Life") + ":" + NONCE
        + ":" + CNONCE);
    String ha2 = hex("SHA-256", "GET:/dir/index.html");
    String expected = hex("SHA-256", ha1 + ":" + NONCE + ":00000001:" + CNONCE + ":auth:" + ha2);
    assertEquals(expected, params(header).get("response"));
    assertEquals("SHA-256-sess", params(header).get("algorithm"));
  }

  @Test
  void sha512256IsSupported() throws Exception {
    String header = rfcAuthorization("SHA-512-256");
    String ha1 = hex("SHA-512/256", "Mufasa:http-auth@example.org:Circle of Life");
    String ha2 = hex("SHA-512/256", "GET:/dir/index.html");
    assertEquals(hex("SHA-512/256", ha1 + ":" + NONCE + ":00000001:" + CNONCE + ":auth:" + ha2),
        params(header).get("response"));
  }

  @Test
  void nonceCountIsEightHexDigits() {
    String header = DigestAuth.forChallenge(rfcChallenge("MD5"))
        .authorization("Mufasa", "Circle of Life", "GET", "/", 255, CNONCE);
    assertEquals("000000ff", params(header).get("nc"));
  }

  @Test
  void withoutQopTheRfc2069FormIsUsed() throws Exception {
    Challenge c = ChallengeParser.parse("Digest realm=\"r\", nonce=\"n\"").get(0);
    String header = DigestAuth.forChallenge(c).authorization("u", "p", "GET", "/x", 1, "c");
    String expected = hex("MD5", hex("MD5", "u:r:p") + ":n:" + hex("MD5", "GET:/x"));
    Map<String, String> p = params(header);
    assertEquals(expected, p.get("response"));
    assertNull(p.get("qop"));
    assertNull(p.get("nc"));
    assertEquals("MD5", p.get("algorithm"));
  }

  @Test
  void userhashSendsTheHashedUserName() throws Exception {
    Challenge c = ChallengeParser.parse("Digest realm=\"r\", nonce=\"n\", qop=auth, algorithm=SHA-256, "
        + "userhash=true").get(0);
    Map<String, String> p = params(DigestAuth.forChallenge(c).authorization("Mufasa", "p", "GET", "/", 1, "c"));
    assertEquals(hex("SHA-256", "Mufasa:r"), p.get("username"));
    assertEquals("true", p.get("userhash"));
  }

  @Test
  void nonAsciiUserNameUsesTheExtendedParameter() {
    Challenge c = ChallengeParser.parse("Digest realm=\"r\", nonce=\"n\", qop=auth").get(0);
    String header = DigestAuth.forChallenge(c).authorization("J\u00e4s\u00f8n", "p", "GET", "/", 1, "c");
    assertTrue(header.startsWith("Digest username*=UTF-8''J%C3%A4s%C3%B8n, "), header);
  }

  @Test
  void unanswerableChallengesAreRefused() {
    assertNull(DigestAuth.forChallenge(ChallengeParser.parse(
        "Digest realm=\"r\", nonce=\"n\", qop=\"auth-int\"").get(0)), "auth-int only");
    assertNull(DigestAuth.forChallenge(ChallengeParser.parse(
        "Digest realm=\"r\", nonce=\"n\", algorithm=SHA-1").get(0)), "unknown algorithm");
    assertNull(DigestAuth.forChallenge(ChallengeParser.parse("Digest realm=\"r\"").get(0)), "no nonce");
    assertNull(DigestAuth.forChallenge(ChallengeParser.parse("Basic realm=\"r\"").get(0)), "not digest");
    assertNotNull(DigestAuth.forChallenge(ChallengeParser.parse(
        "Digest realm=\"r\", nonce=\"n\", algorithm=md5-SESS").get(0)), "algorithm names ignore case");
  }

  @Test
  void staleFlagIsRead() {
    assertTrue(DigestAuth.forChallenge(ChallengeParser.parse(
        "Digest realm=\"r\", nonce=\"n\", stale=TRUE").get(0)).stale());
  }

  /** The Authorization value's params, parsed with the challenge grammar (it is the same one). */
  static Map<String, String> params(String authorization) {
    return new LinkedHashMap<>(ChallengeParser.parse(authorization).get(0).params());
  }

  static String hex(String algorithm, String text) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm)
        .digest(text.getBytes(StandardCharsets.UTF_8)));
  }
}
