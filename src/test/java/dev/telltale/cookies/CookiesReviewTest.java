package dev.telltale.cookies;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.telltale.Request;
import dev.telltale.Session;
import dev.telltale.testkit.LeakCheck;
import dev.telltale.testkit.MockServerTest;
import dev.telltale.testkit.Roundtrip;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.HttpCookie;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Review of the CookieHandler hook: request targets that HTTP servers accept but
 * {@link java.net.URI} does not, and several cookies folded into one field.
 */
@ExtendWith(LeakCheck.class)
class CookiesReviewTest extends MockServerTest {
  final CookieManager cookies = new CookieManager(null, CookiePolicy.ACCEPT_ALL);

  @Override
  protected Session newSession() {
    return Session.builder().cookieHandler(cookies).build();
  }

  private RecordedRequest take() throws InterruptedException {
    return server.takeRequest(20, TimeUnit.SECONDS);
  }

  private void get(String path) throws Exception {
    try (Request request = connect.openRequest("GET", path)) {
      Roundtrip.run(request, 256);
    }
  }

  /**
   * Query strings with {@code |}, braces, quotes or angle brackets are common (search APIs, JQL) and servers
   * take them, but {@code URI.create} refuses them: the session's cookies must still go with
   * such a request, and a cookie it sets must still be stored.
   */
  @Test
  void cookiesGoWithTargetsThatAreNotStrictUris() throws Exception {
    HttpCookie login = new HttpCookie("session", "abc");
    login.setPath("/");
    login.setVersion(0); // a Netscape cookie, as Set-Cookie makes
    cookies.getCookieStore().add(URI.create("http://127.0.0.1:" + server.getPort() + "/"), login);
    server.enqueue(new MockResponse.Builder().addHeader("Set-Cookie", "seen=1; Path=/").body("a").build());
    server.enqueue(new MockResponse.Builder().body("b").build());
    get("/search?jql=project%3DX|status={open}");
    get("/r%C3%A9sum%C3%A9?q=\"quoted\"&t=<b>^`\\");
    assertEquals("session=abc", take().getHeaders().get("Cookie"));
    List<String> second = sortedCookies(take());
    assertEquals(List.of("seen=1", "session=abc"), second, "the first response's cookie was stored");
  }

  /** Several cookies travel in one Cookie field, "a=1; b=2" (RFC 6265 §5.4), never several fields. */
  @Test
  void severalCookiesAreFoldedIntoOneField() throws Exception {
    server.enqueue(new MockResponse.Builder().addHeader("Set-Cookie", "a=1; Path=/")
        .addHeader("Set-Cookie", "b=2; Path=/").addHeader("Set-Cookie", "c=3; Path=/").body("x").build());
    server.enqueue(new MockResponse.Builder().body("y").build());
    get("/");
    get("/");
    take();
    RecordedRequest second = take();
    assertEquals(1, second.getHeaders().values("Cookie").size(), second.getHeaders().toString());
    assertEquals(List.of("a=1", "b=2", "c=3"), sortedCookies(second));
  }

  private static List<String> sortedCookies(RecordedRequest request) {
    String field = request.getHeaders().get("Cookie");
    List<String> list = new ArrayList<>(field == null ? List.of() : List.of(field.split("; ")));
    list.sort(null);
    return list;
  }
}
