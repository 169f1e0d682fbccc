package dev.telltale.lifecycle;

import static dev.telltale.lifecycle.Fixture.ascii;
import static dev.telltale.lifecycle.Fixture.await;
import static dev.telltale.lifecycle.Fixture.readAll;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.telltale.Connect;
import dev.telltale.Request;
import dev.telltale.ResponseHeaders;
import dev.telltale.testkit.LeakCheck;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code Expect: 100-continue}: the body waits for the server's 100 (or a short while), and is not
 * sent at all when the server answers first (rule 14's INTERMEDIATE_RESPONSE for the 100).
 */
@ExtendWith(LeakCheck.class)
class ExpectContinueTest {
  private static final String BODY = "a body that waits for 100 Continue";

  private final Fixture fx = new Fixture();
  private ScriptedServer raw;

  @AfterEach
  void closeEverything() throws Exception {
    fx.close();
    if (raw != null) {
      raw.close();
    }
  }

  private Request postExpectingContinue(int port) {
    Connect connect = fx.connect(port);
    Request request = fx.open(connect, "POST", "/upload");
    request.addHeader("Expect", "100-continue");
    return request;
  }

  private static final String CREATED_AND_CONNECTED = """
      session HANDLE_CREATED       connect
      request HANDLE_CREATED       request
      request RESOLVING_NAME       127.0.0.1
      request NAME_RESOLVED        127.0.0.1
      request CONNECTING_TO_SERVER 127.0.0.1
      request CONNECTED_TO_SERVER  127.0.0.1
      request SENDING_REQUEST
      """;

  @Test
  void rule14_continue100GivesIntermediateResponseAndThenTheBodyIsSent() throws Exception {
    raw = new ScriptedServer(peer -> {
      String head = peer.readHead();
      peer.write("HTTP/1.1 100 Continue\r\n\r\n");
      peer.record(head, peer.readBodyFor(head));
      peer.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
      peer.readToEof();
    });
    Request request = postExpectingContinue(raw.port());
    await(request.sendRequest(null, ascii(BODY), BODY.length(), null));
    ResponseHeaders headers = await(request.receiveResponse());
    assertEquals(200, headers.statusCode());
    assertEquals("ok", readAll(request, 100));
    fx.closeAllAndAwait();
    fx.rec.assertNext(CREATED_AND_CONNECTED + """
        request RESPONSE_RECEIVED
        request INTERMEDIATE_RESPONSE 100
        request REQUEST_SENT
        request SENDREQUEST_COMPLETE
        request RECEIVING_RESPONSE
        request RESPONSE_RECEIVED
        request HEADERS_AVAILABLE
        request READ_COMPLETE         2
        request READ_COMPLETE         0
        request HANDLE_CLOSING
        connect HANDLE_CLOSING
        session HANDLE_CLOSING
        """);
    ScriptedServer.Received received = raw.takeRequest();
    assertEquals("100-continue", received.header("Expect"));
    assertEquals(Integer.toString(BODY.length()), received.header("Content-Length"));
    assertEquals(BODY, received.bodyText());
    assertEquals(List.of(), raw.failures());
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(ints = {417, 401})
  void rule14_aFinalAnswerBeforeContinueIsDeliveredAndTheBodyIsNotSent(int status)
      throws Exception {
    AtomicInteger bytesAfterHead = new AtomicInteger(-1);
    raw = new ScriptedServer(peer -> {
      peer.record(peer.readHead(), new byte[0]);
      peer.write("HTTP/1.1 " + status + " No\r\nContent-Length: 0\r\n\r\n");
      bytesAfterHead.set(peer.readToEof());
    });
    Request request = postExpectingContinue(raw.port());
    await(request.sendRequest(null, ascii(BODY), BODY.length(), null));
    ResponseHeaders headers = await(request.receiveResponse());
    assertEquals(status, headers.statusCode());
    assertEquals("", readAll(request, 100));
    fx.closeAllAndAwait();
    raw.awaitScriptsDone(1); // the client closed the connection (at the latest with the session)
    assertEquals(0, bytesAfterHead.get(), "the withheld body must never be sent");
    assertEquals("100-continue", raw.takeRequest().header("Expect"));
    assertEquals(List.of(), raw.failures());
    // The final response belongs to receiveResponse (rule 14), even though it arrived while the
    // send waited for 100 Continue.
    fx.rec.assertNext(CREATED_AND_CONNECTED + """
        request REQUEST_SENT
        request SENDREQUEST_COMPLETE
        request RECEIVING_RESPONSE
        request RESPONSE_RECEIVED
        request HEADERS_AVAILABLE
        request READ_COMPLETE         0
        request HANDLE_CLOSING
        connect HANDLE_CLOSING
        session HANDLE_CLOSING
        """);
  }

  @Test
  void rule14_withoutAnyAnswerTheBodyIsSentAfterAShortWait() throws Exception {
    raw = new ScriptedServer(peer -> {
      String head = peer.readHead();
      peer.record(head, peer.readBodyFor(head)); // no 100: waits for the client to give up waiting
      peer.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
      peer.readToEof();
    });
    Request request = postExpectingContinue(raw.port());
    await(request.sendRequest(null, ascii(BODY), BODY.length(), null));
    assertEquals(200, await(request.receiveResponse()).statusCode());
    assertEquals("ok", readAll(request, 100));
    fx.closeAllAndAwait();
    fx.rec.assertNext(CREATED_AND_CONNECTED + """
        request REQUEST_SENT
        request SENDREQUEST_COMPLETE
        request RECEIVING_RESPONSE
        request RESPONSE_RECEIVED
        request HEADERS_AVAILABLE
        request READ_COMPLETE         2
        request READ_COMPLETE         0
        request HANDLE_CLOSING
        connect HANDLE_CLOSING
        session HANDLE_CLOSING
        """);
    assertEquals(BODY, raw.takeRequest().bodyText());
    assertEquals(List.of(), raw.failures());
  }
}
