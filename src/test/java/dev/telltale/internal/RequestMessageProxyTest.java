package dev.telltale.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.telltale.internal.proxy.ProxyHop;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The request head through an HTTP proxy: absolute form, and Proxy-Authorization for it only. */
class RequestMessageProxyTest {
  private static String head(RequestMessage message, Origin route) {
    return StandardCharsets.ISO_8859_1.decode(message.encodeHead("ua", 0, false, route)).toString();
  }

  private static final ProxyHop HTTP_PROXY = new ProxyHop(false, "proxy.test", 3128, "alice", "s3cret");

  @Test
  void plainHttpThroughAnHttpProxyUsesTheAbsoluteFormAndCarriesTheProxyCredentials() {
    Origin origin = new Origin(false, "origin.test", 8080);
    RequestMessage message = new RequestMessage("GET", "/a?b", origin, List.of("Accept", "*/*"));
    assertEquals("GET http://origin.test:8080/a?b HTTP/1.1\r\nHost: origin.test:8080\r\nAccept: */*\r\n"
        + "Proxy-Authorization: Basic YWxpY2U6czNjcmV0\r\nUser-Agent: ua\r\n\r\n",
        head(message, origin.via(HTTP_PROXY)));
    Origin defaultPort = new Origin(false, "origin.test", 80);
    assertEquals("GET http://origin.test/ HTTP/1.1\r\nHost: origin.test\r\nUser-Agent: ua\r\n\r\n",
        head(new RequestMessage("GET", "/", defaultPort, List.of()),
            defaultPort.via(new ProxyHop(false, "p", 1, null, null))));
  }

  @Test
  void tunnelsAndDirectConnectionsKeepTheOriginFormAndNoProxyCredentials() {
    Origin secure = new Origin(true, "origin.test", 443);
    RequestMessage message = new RequestMessage("GET", "/", secure, List.of());
    String expected = "GET / HTTP/1.1\r\nHost: origin.test\r\nUser-Agent: ua\r\n\r\n";
    assertEquals(expected, head(message, secure.via(HTTP_PROXY)), "inside a CONNECT tunnel");
    Origin plain = new Origin(false, "origin.test", 80);
    RequestMessage viaSocks = new RequestMessage("GET", "/", plain, List.of());
    assertEquals(expected, head(viaSocks, plain.via(new ProxyHop(true, "s", 1080, "u", "p"))), "SOCKS");
    assertEquals(expected, head(viaSocks, plain), "direct");
  }

  @Test
  void thePoolKeyIncludesTheProxy() {
    Origin origin = new Origin(false, "origin.test", 80);
    assertEquals(origin, origin.via(null));
    org.junit.jupiter.api.Assertions.assertNotEquals(origin, origin.via(HTTP_PROXY));
    org.junit.jupiter.api.Assertions.assertNotEquals(origin.via(HTTP_PROXY),
        origin.via(new ProxyHop(false, "proxy.test", 3128, "alice", "other")));
    assertEquals("proxy.test", origin.via(HTTP_PROXY).dialHost());
    assertEquals(3128, origin.via(HTTP_PROXY).dialPort());
  }
}
