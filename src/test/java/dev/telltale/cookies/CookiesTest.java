package dev.telltale.cookies;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.telltale.AuthScheme;
import dev.telltale.AuthTarget;
import dev.telltale.Connect;
import dev.telltale.NotificationFlags;
import dev.telltale.Request;
import dev.telltale.Session;
import dev.telltale.testing.RecordingCallback;
import dev.telltale.testkit.LeakCheck;
import dev.telltale.testkit.Roundtrip;
import java.io.IOException;
import java.net.CookieHandler;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Session.Builder.cookieHandler with the JDK's CookieManager, and cookies off by default. */
@ExtendWith(LeakCheck.class)
class CookiesTest {
  @StartStop final MockWebServer server = new MockWebServer();
  final RecordingCallback rec = new RecordingCallback();
  Session session;
  Connect connect;

  private void open(Session.Builder builder) {
    session = builder.build();
    session.setStatusCallback(rec, NotificationFlags.ALL_NOTIFICATIONS);
    connect = session.connect("127.0.0.1", server.getPort());
  }

  private static CookieManager manager() {
    return new CookieManager(null, CookiePolicy.ACCEPT_ALL);
  }

  @AfterEach
  void closeAll() {
    if (session != null) {
      connect.close();
      session.close();
      rec.awaitClosing(session);
    }
  }

  private RecordedRequest take() throws InterruptedException {
    return server.takeRequest(20, TimeUnit.SECONDS);
  }

  private void get(String path) throws Exception {
    try (Request request = connect.openRequest("GET", path)) {
      Roundtrip.run(request, 256);
    }
  }

  @Test
  void aCookieSetByOneResponseGoesWithTheNextRequest() throws Exception {
    CookieManager cookies = manager();
    open(Session.builder().cookieHandler(cookies));
    server.enqueue(new MockResponse.Builder().addHeader("Set-Cookie", "session=abc; Path=/").body("one").build());
    server.enqueue(new MockResponse.Builder().body("two").build());
    get("/login");
    get("/account");
    assertNull(take().getHeaders().get("Cookie"));
    assertEquals("session=abc", take().getHeaders().get("Cookie"));
    assertEquals("session=abc", cookies.getCookieStore().getCookies().get(0).toString());
  }

  @Test
  void cookiesOfARedirectAreStoredAndSentOnTheNextHop() throws Exception {
    open(Session.builder().cookieHandler(manager()));
    server.enqueue(new MockResponse.Builder().code(302).addHeader("Location", "/landing")
        .addHeader("Set-Cookie", "visit=1; Path=/").build());
    server.enqueue(new MockResponse.Builder().addHeader("Set-Cookie", "theme=dark; Path=/").body("here").build());
    server.enqueue(new MockResponse.Builder().body("again").build());
    get("/start");
    get("/later");
    take();
    assertEquals("visit=1", take().getHeaders().get("Cookie"));
    assertEquals(List.of("theme=dark", "visit=1"),
        List.of(take().getHeaders().get("Cookie").split("; ")).stream().sorted().toList());
  }

  @Test
  void a401sCookieGoesWithTheAuthenticatedRetry() throws Exception {
    open(Session.builder().cookieHandler(manager()));
    server.enqueue(new MockResponse.Builder().code(401).addHeader("Set-Cookie", "challenge=7; Path=/")
        .addHeader("WWW-Authenticate", "Digest realm=\"r\", nonce=\"n\", qop=auth").build());
    server.enqueue(new MockResponse.Builder().body("in").build());
    try (Request request = connect.openRequest("GET", "/")) {
      request.setCredentials(AuthTarget.SERVER, AuthScheme.DIGEST, "u", "p");
      assertEquals(200, Roundtrip.run(request, 64).status());
    }
    take();
    assertEquals("challenge=7", take().getHeaders().get("Cookie"));
  }

  @Test
  void cookiesAreOffByDefault() throws Exception {
    open(Session.builder());
    server.enqueue(new MockResponse.Builder().addHeader("Set-Cookie", "session=abc; Path=/").body("one").build());
    server.enqueue(new MockResponse.Builder().body("two").build());
    get("/login");
    get("/account");
    take();
    assertNull(take().getHeaders().get("Cookie"));
  }

  @Test
  void theApplicationsCookieHeaderWins() throws Exception {
    open(Session.builder().cookieHandler(manager()));
    server.enqueue(new MockResponse.Builder().addHeader("Set-Cookie", "session=abc; Path=/").body("one").build());
    server.enqueue(new MockResponse.Builder().body("two").build());
    get("/login");
    try (Request request = connect.openRequest("GET", "/mine")) {
      request.addHeader("Cookie", "mine=1");
      Roundtrip.run(request, 64);
    }
    take();
    assertEquals("mine=1", take().getHeaders().get("Cookie"));
  }

  @Test
  void aFailingHandlerDoesNotFailTheRequest() throws Exception {
    open(Session.builder().cookieHandler(new CookieHandler() {
      @Override
      public Map<String, List<String>> get(URI uri, Map<String, List<String>> headers) throws IOException {
        throw new IOException("store unavailable");
      }

      @Override
      public void put(URI uri, Map<String, List<String>> headers) throws IOException {
        throw new IOException("store unavailable");
      }
    }));
    server.enqueue(new MockResponse.Builder().addHeader("Set-Cookie", "a=1").body("fine").build());
    try (Request request = connect.openRequest("GET", "/")) {
      assertEquals("fine", Roundtrip.run(request, 64).text());
    }
    assertNull(take().getHeaders().get("Cookie"));
  }

  @Test
  void theHandlerSeesTheRequestUri() throws Exception {
    URI[] seen = new URI[2];
    open(Session.builder().cookieHandler(new CookieHandler() {
      @Override
      public Map<String, List<String>> get(URI uri, Map<String, List<String>> headers) {
        seen[0] = uri;
        return Map.of("Cookie", List.of("x=1", "y=2"));
      }

      @Override
      public void put(URI uri, Map<String, List<String>> headers) {
        seen[1] = uri;
      }
    }));
    server.enqueue(new MockResponse.Builder().addHeader("Set-Cookie", "a=1").body("fine").build());
    get("/path/item?q=1");
    String base = "http://127.0.0.1:" + server.getPort() + "/path/item?q=1";
    assertEquals(URI.create(base), seen[0]);
    assertEquals(URI.create(base), seen[1]);
    assertEquals("x=1; y=2", take().getHeaders().get("Cookie"));
  }
}
