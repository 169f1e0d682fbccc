package dev.telltale.internal.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChallengeParserTest {
  @Test
  void basicWithRealm() {
    assertEquals(List.of(new Challenge("Basic", null, Map.of("realm", "simple"))),
        ChallengeParser.parse("Basic realm=\"simple\""));
  }

  @Test
  void schemeAlone() {
    assertEquals(List.of(new Challenge("Negotiate", null, Map.of())), ChallengeParser.parse("Negotiate"));
  }

  @Test
  void token68() {
    assertEquals(List.of(new Challenge("Negotiate", "YIIBhgYGKwYBBQUCoIIBejCCAXag==", Map.of())),
        ChallengeParser.parse("Negotiate YIIBhgYGKwYBBQUCoIIBejCCAXag=="));
  }

  @Test
  void severalChallengesInOneFieldValue() {
    // RFC 9110 §11.6.1's example: two challenges, the second with a comma inside a quoted string
    List<Challenge> parsed = ChallengeParser.parse(
        "Basic realm=\"simple\", Newauth realm=\"apps\", type=1, title=\"Login to \\\"apps\\\"\"");
    assertEquals(2, parsed.size());
    assertEquals(new Challenge("Basic", null, Map.of("realm", "simple")), parsed.get(0));
    assertEquals(new Challenge("Newauth", null,
        Map.of("realm", "apps", "type", "1", "title", "Login to \"apps\"")), parsed.get(1));
  }

  @Test
  void digestThenBasicWithCommasInQuotedValues() {
    List<Challenge> parsed = ChallengeParser.parse("Digest realm=\"a, b\", qop=\"auth, auth-int\", "
        + "algorithm=SHA-256, nonce=\"n\", Basic realm=\"x\"");
    assertEquals(2, parsed.size());
    assertEquals("a, b", parsed.get(0).param("realm"));
    assertEquals("auth, auth-int", parsed.get(0).param("qop"));
    assertEquals("SHA-256", parsed.get(0).param("ALGORITHM"));
    assertEquals("Basic", parsed.get(1).scheme());
  }

  @Test
  void challengesOverSeveralFieldLines() {
    List<Challenge> parsed = ChallengeParser.parse(List.of("Negotiate", "NTLM", "Basic realm=r"));
    assertEquals(List.of("Negotiate", "NTLM", "Basic"),
        parsed.stream().map(Challenge::scheme).toList());
  }

  @Test
  void whitespaceAroundEqualsAndEmptyListElements() {
    List<Challenge> parsed = ChallengeParser.parse(" , Basic realm = \"r\" ,, charset=UTF-8 , ");
    assertEquals(List.of(new Challenge("Basic", null, Map.of("realm", "r", "charset", "UTF-8"))), parsed);
  }

  @Test
  void parameterNamesAreCaseInsensitiveAndTheFirstWins() {
    Challenge c = ChallengeParser.parse("Basic Realm=one, REALM=two").get(0);
    assertEquals("one", c.param("realm"));
  }

  @Test
  void damageEndsTheParseButKeepsWhatCameBefore() {
    List<Challenge> parsed = ChallengeParser.parse("Basic realm=\"ok\", Digest realm=\"unterminated");
    assertEquals(List.of(new Challenge("Basic", null, Map.of("realm", "ok"))), parsed);
    assertEquals(List.of(), ChallengeParser.parse("=garbage"));
    assertEquals(List.of(), ChallengeParser.parse("Basic\"realm\""));
  }

  @Test
  void unknownParameterIsNull() {
    assertNull(ChallengeParser.parse("Basic realm=r").get(0).param("charset"));
  }
}
