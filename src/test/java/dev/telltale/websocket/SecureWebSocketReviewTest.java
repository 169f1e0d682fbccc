package dev.telltale.websocket;

import static dev.telltale.websocket.WsFixture.await;
import static dev.telltale.websocket.WsFixture.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.telltale.ErrorCode;
import dev.telltale.HttpException;
import dev.telltale.Request;
import dev.telltale.Session;
import dev.telltale.WebSocket;
import dev.telltale.WebSocketBufferType;
import dev.telltale.WebSocketStatus;
import dev.telltale.testkit.LeakCheck;
import dev.telltale.testkit.RawServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLSocket;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * wss:// whose TLS stream is cut: the server drops TCP without its close_notify, after a whole
 * frame or inside one. The bytes received before the cut are delivered; then the websocket fails
 * with CONNECTION_ERROR rather than taking the cut for an orderly end.
 */
@ExtendWith(LeakCheck.class)
class SecureWebSocketReviewTest {
  private static final HeldCertificate ROOT = new HeldCertificate.Builder()
      .certificateAuthority(0).commonName("telltale ws review root").build();
  private static final HeldCertificate LOCALHOST = new HeldCertificate.Builder()
      .signedBy(ROOT).addSubjectAlternativeName("localhost").commonName("localhost").build();
  private static final HandshakeCertificates SERVER_CERTS = new HandshakeCertificates.Builder()
      .heldCertificate(LOCALHOST, ROOT.certificate()).build();

  private final WsFixture fx = new WsFixture(Session.builder()
      .resolver(host -> List.of(InetAddress.getByName("127.0.0.1")))
      .trustManager(new HandshakeCertificates.Builder().addTrustedCertificate(ROOT.certificate())
          .build().trustManager()));
  private RawServer server;

  @AfterEach
  void closeEverything() {
    fx.close();
    if (server != null) {
      server.close();
    }
  }

  /** A TLS server that answers the upgrade, writes {@code afterHandshake}, then cuts TCP. */
  private void serveThenTruncate(byte[] afterHandshake) throws IOException {
    server = RawServer.start(conn -> {
      SSLSocket tls = (SSLSocket) SERVER_CERTS.sslSocketFactory()
          .createSocket(conn.socket(), "localhost", conn.socket().getPort(), false);
      tls.setUseClientMode(false);
      tls.startHandshake();
      String head = readHead(tls.getInputStream());
      OutputStream out = tls.getOutputStream();
      out.write(WsWire.response(head, WsWire.accept(WsWire.header(head, "Sec-WebSocket-Key")), "")
          .getBytes(StandardCharsets.ISO_8859_1));
      out.write(afterHandshake);
      out.flush();
      conn.socket().close(); // the TCP connection ends; TLS never said close_notify
    });
  }

  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("the client closed before the end of the head");
      }
      head.write(b);
    }
    return head.toString(StandardCharsets.ISO_8859_1);
  }

  private WebSocket open() throws Exception {
    Request request = fx.upgradeRequest(fx.connect("localhost", server.port()), "/", true);
    return fx.upgrade(request, null);
  }

  @Test
  void aCutAfterAWholeFrameDeliversTheFrameThenFailsTheNextReceive() throws Exception {
    serveThenTruncate(WsWire.text("before the cut"));
    WebSocket socket = open();
    ByteBuffer buffer = ByteBuffer.allocate(64);
    assertEquals(new WebSocketStatus(14, WebSocketBufferType.UTF8_MESSAGE), await(socket.receive(buffer)));
    HttpException cut = failure(socket.receive(buffer));
    assertEquals(ErrorCode.CONNECTION_ERROR, cut.code());
    assertTrue(cut.getMessage().contains("close_notify"), cut::getMessage);
    socket.close();
    fx.rec.awaitClosing(socket);
    fx.rec.assertNext(WsFixture.upgradeTable().replace("NAME_RESOLVED        127.0.0.1",
        "NAME_RESOLVED localhost").replace("RESOLVING_NAME       127.0.0.1", "RESOLVING_NAME localhost") + """
        websocket READ_COMPLETE 14 UTF8_MESSAGE
        websocket REQUEST_ERROR WEB_SOCKET_RECEIVE CONNECTION_ERROR
        websocket HANDLE_CLOSING
        """);
  }

  @Test
  void aCutInsideAFrameDeliversNothingOfItAndFailsThePendingReceive() throws Exception {
    byte[] frame = WsWire.text("a frame that never ends");
    serveThenTruncate(Arrays.copyOf(frame, 9));
    WebSocket socket = open();
    CompletableFuture<WebSocketStatus> pending = socket.receive(ByteBuffer.allocate(64));
    assertEquals(ErrorCode.CONNECTION_ERROR, failure(pending).code());
    // the connection is gone: every later operation fails the same way, asynchronously
    assertEquals(ErrorCode.CONNECTION_ERROR,
        failure(socket.send(WebSocketBufferType.UTF8_MESSAGE, ByteBuffer.allocate(0))).code());
    assertEquals(ErrorCode.CONNECTION_ERROR, failure(socket.close(1000, "bye")).code());
  }
}
