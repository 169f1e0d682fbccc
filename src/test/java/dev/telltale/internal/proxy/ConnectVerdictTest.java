package dev.telltale.internal.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.telltale.internal.http1.Http1ResponseParser;
import dev.telltale.internal.http1.ResponseHead;
import dev.telltale.internal.proxy.ConnectRequest.Verdict;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * What a tunnel does with the proxy's final answer to CONNECT (pure): open, answer a Basic 407
 * once, hand an unanswerable 407 to the request as its response, or fail with a typed error.
 */
class ConnectVerdictTest {
  private static final String BASIC_407 =
      "HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"p\"\r\n\r\n";
  private static final String DIGEST_407 = "HTTP/1.1 407 Proxy Authentication Required\r\n"
      + "Proxy-Authenticate: Digest realm=\"p\", nonce=\"n\"\r\n\r\n";

  private static ResponseHead head(String text) throws Exception {
    ResponseHead head = new Http1ResponseParser(4096, 64)
        .parseHead(ByteBuffer.wrap(text.getBytes(StandardCharsets.ISO_8859_1)));
    if (head == null) {
      throw new AssertionError("incomplete head: " + text);
    }
    return head;
  }

  @Test
  void anyTwoHundredOpensWhateverWasSent() throws Exception {
    assertEquals(Verdict.OPEN, ConnectRequest.verdict(head("HTTP/1.1 200 OK\r\n\r\n"), false, false));
    assertEquals(Verdict.OPEN, ConnectRequest.verdict(head("HTTP/1.0 204 Fine\r\n\r\n"), true, true));
  }

  @Test
  void aBasic407IsAnsweredOnlyWhenCredentialsAreKnownAndWereNotSent() throws Exception {
    assertEquals(Verdict.SEND_CREDENTIALS, ConnectRequest.verdict(head(BASIC_407), true, false));
    assertEquals(Verdict.DELIVER, ConnectRequest.verdict(head(BASIC_407), false, false),
        "no credentials: the application sees the 407 and may set some");
    assertEquals(Verdict.DELIVER, ConnectRequest.verdict(head(BASIC_407), true, true),
        "the credentials were refused: the 407 is the response");
  }

  @Test
  void a407WithoutABasicChallengeIsDelivered() throws Exception {
    assertEquals(Verdict.DELIVER, ConnectRequest.verdict(head(DIGEST_407), true, false));
    assertEquals(Verdict.DELIVER, ConnectRequest.verdict(
        head("HTTP/1.1 407 Who\r\nContent-Length: 0\r\n\r\n"), false, false));
  }

  @Test
  void otherRefusalsAreErrorsAndA401ToSentCredentialsIsALoginFailure() throws Exception {
    ResponseHead unauthorized = head("HTTP/1.1 401 Unauthorized\r\n\r\n");
    assertEquals(Verdict.LOGIN_FAILURE, ConnectRequest.verdict(unauthorized, true, true));
    assertEquals(Verdict.REFUSED, ConnectRequest.verdict(unauthorized, false, false));
    assertEquals(Verdict.REFUSED, ConnectRequest.verdict(head("HTTP/1.1 403 Forbidden\r\n\r\n"), true, true));
    assertEquals(Verdict.REFUSED, ConnectRequest.verdict(head("HTTP/1.1 502 Bad Gateway\r\n\r\n"), false, false));
  }
}
