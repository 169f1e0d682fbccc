package dev.telltale.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.telltale.RedirectPolicy;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Rule 14's decisions, without sockets. */
class RedirectsTest {
  private static final Origin HTTP = new Origin(false, "a.test", 8080);
  private static final Origin HTTPS = new Origin(true, "a.test", 443);

  private static RequestMessage request(String method, Origin origin, String... fields) {
    return new RequestMessage(method, "/dir/page?q=1", origin, List.of(fields));
  }

  private static Redirects.Decision decide(RequestMessage m, int status, String location) {
    return Redirects.decide(m, status, location, RedirectPolicy.DISALLOW_HTTPS_TO_HTTP, 0, 10, false, true);
  }

  @Test
  void relativeLocationResolvesAgainstTheRequestTarget() {
    var follow = assertInstanceOf(Redirects.Follow.class, decide(request("GET", HTTP), 302, "next?x=2"));
    assertEquals("/dir/next?x=2", follow.target());
    assertEquals(HTTP, follow.origin());
    assertEquals("http://a.test:8080/dir/next?x=2", follow.location().toString());
  }

  @Test
  void absoluteLocationToAnotherOriginUsesItsDefaultPort() {
    var follow = assertInstanceOf(Redirects.Follow.class, decide(request("GET", HTTP), 301, "https://b.test/x"));
    assertEquals(new Origin(true, "b.test", 443), follow.origin());
    assertEquals("/x", follow.target());
  }

  @Test
  void seeOtherTurnsPostIntoGetWithoutBody() {
    var follow = assertInstanceOf(Redirects.Follow.class, Redirects.decide(request("POST", HTTP), 303, "/r",
        RedirectPolicy.DISALLOW_HTTPS_TO_HTTP, 0, 10, true, true));
    assertEquals("GET", follow.method());
    assertTrue(follow.dropBody());
  }

  @Test
  void seeOtherKeepsHead() {
    var follow = assertInstanceOf(Redirects.Follow.class, decide(request("HEAD", HTTP), 303, "/r"));
    assertEquals("HEAD", follow.method());
  }

  @Test
  void temporaryRedirectKeepsMethodAndBody() {
    var follow = assertInstanceOf(Redirects.Follow.class, Redirects.decide(request("POST", HTTP), 307, "/r",
        RedirectPolicy.DISALLOW_HTTPS_TO_HTTP, 0, 10, true, true));
    assertEquals("POST", follow.method());
    assertEquals(false, follow.dropBody());
  }

  @Test
  void temporaryRedirectOfAStreamedBodyIsDeliveredAsFinal() {
    assertInstanceOf(Redirects.Deliver.class, Redirects.decide(request("PUT", HTTP), 308, "/r",
        RedirectPolicy.DISALLOW_HTTPS_TO_HTTP, 0, 10, true, false));
  }

  @Test
  void httpsToHttpIsRefusedByDefaultAndFollowedUnderAlways() {
    RequestMessage secure = request("GET", HTTPS);
    var refuse = assertInstanceOf(Redirects.Refuse.class, decide(secure, 302, "http://a.test/"));
    assertTrue(refuse.reason().contains("https to http"), refuse.reason());
    assertInstanceOf(Redirects.Follow.class,
        Redirects.decide(secure, 302, "http://a.test/", RedirectPolicy.ALWAYS, 0, 10, false, true));
  }

  @Test
  void neverPolicyAndMissingLocationDeliverTheResponse() {
    assertInstanceOf(Redirects.Deliver.class,
        Redirects.decide(request("GET", HTTP), 302, "/r", RedirectPolicy.NEVER, 0, 10, false, true));
    assertInstanceOf(Redirects.Deliver.class, decide(request("GET", HTTP), 302, null));
    assertInstanceOf(Redirects.Deliver.class, decide(request("GET", HTTP), 300, "/r"));
  }

  @Test
  void theLimitBelowAtAndAbove() {
    RequestMessage m = request("GET", HTTP);
    assertInstanceOf(Redirects.Follow.class, Redirects.decide(m, 302, "/r", RedirectPolicy.ALWAYS, 1, 2, false, true));
    assertInstanceOf(Redirects.Refuse.class, Redirects.decide(m, 302, "/r", RedirectPolicy.ALWAYS, 2, 2, false, true));
    assertInstanceOf(Redirects.Refuse.class, Redirects.decide(m, 302, "/r", RedirectPolicy.ALWAYS, 3, 2, false, true));
  }

  @Test
  void unsupportedSchemeAndGarbageAreRefused() {
    assertInstanceOf(Redirects.Refuse.class, decide(request("GET", HTTP), 302, "ftp://a.test/x"));
    assertInstanceOf(Redirects.Refuse.class, decide(request("GET", HTTP), 302, "http://a b/"));
  }

  @Test
  void credentialsAreDroppedOnlyAcrossOrigins() {
    RequestMessage m = request("GET", HTTP, "Authorization", "Basic x", "Cookie", "c=1", "Accept", "*/*");
    RequestMessage same = m.redirected("GET", HTTP, "/r", false);
    assertEquals("Basic x", same.field("Authorization"));
    RequestMessage other = m.redirected("GET", new Origin(false, "b.test", 80), "/r", false);
    assertEquals(null, other.field("Authorization"));
    assertEquals(null, other.field("Cookie"));
    assertEquals("*/*", other.field("Accept"));
  }
}
