package dev.telltale.websocket;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.telltale.Connect;
import dev.telltale.OpenRequestFlag;
import dev.telltale.Option;
import dev.telltale.Request;
import dev.telltale.ResponseHeaders;
import dev.telltale.Session;
import dev.telltale.WebSocket;
import dev.telltale.testing.RecordingCallback;
import dev.telltale.testkit.RecordingSessionFixture;

/**
 * One session with a {@link RecordingCallback} installed before any child, the handles opened
 * through it (closed newest first at the end, so a failed test still leaves nothing for
 * LeakCheck), and the upgrade steps of §1.6's preamble.
 */
final class WsFixture extends RecordingSessionFixture {
  WsFixture() {
    this(Session.builder());
  }

  WsFixture(Session.Builder builder) {
    super(builder);
  }

  Connect connect(int port) {
    return connect(HOST, port);
  }

  /** Opens a request with UPGRADE_TO_WEB_SOCKET set (and {@code secure} for wss). */
  Request upgradeRequest(Connect connect, String path, boolean secure) {
    Request request = secure ? connect.openRequest("GET", path, OpenRequestFlag.SECURE)
        : connect.openRequest("GET", path);
    track(request);
    request.setOption(Option.UPGRADE_TO_WEB_SOCKET, true);
    return request;
  }

  /** Sends the upgrade request, expects a 101 and completes the upgrade. */
  WebSocket upgrade(Request request, Object context) throws Exception {
    await(request.sendRequest());
    ResponseHeaders headers = await(request.receiveResponse());
    assertEquals(101, headers.statusCode());
    return track(request.completeUpgrade(context));
  }

  /** Opens a plain ws:// upgrade to {@code port} and completes it. */
  WebSocket open(int port) throws Exception {
    return upgrade(upgradeRequest(connect(port), "/", false), null);
  }

  /** Closes every handle opened here, newest first, then the session, and waits for the last. */
  @Override
  public void close() {
    closeOpenedThenSession();
    rec.awaitClosing(session);
  }

  /** The standard events of the upgrade request on a new connection to 127.0.0.1. */
  static String upgradeTable() {
    return """
        session HANDLE_CREATED       connect
        request HANDLE_CREATED       request
        request RESOLVING_NAME       127.0.0.1
        request NAME_RESOLVED        127.0.0.1
        request CONNECTING_TO_SERVER 127.0.0.1
        request CONNECTED_TO_SERVER  127.0.0.1
        request SENDING_REQUEST
        request REQUEST_SENT
        request SENDREQUEST_COMPLETE
        request RECEIVING_RESPONSE
        request RESPONSE_RECEIVED
        request HEADERS_AVAILABLE
        request HANDLE_CREATED       websocket
        """;
  }
}
