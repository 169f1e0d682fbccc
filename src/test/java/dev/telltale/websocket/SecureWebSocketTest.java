package dev.telltale.websocket;

import static dev.telltale.websocket.WsFixture.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.telltale.CloseStatus;
import dev.telltale.Connect;
import dev.telltale.Request;
import dev.telltale.Session;
import dev.telltale.WebSocket;
import dev.telltale.WebSocketBufferType;
import dev.telltale.WebSocketStatus;
import dev.telltale.testkit.LeakCheck;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** wss://: the upgrade and the websocket over the TLS transport, against MockWebServer over https. */
@ExtendWith(LeakCheck.class)
class SecureWebSocketTest {
  private static final HeldCertificate ROOT = new HeldCertificate.Builder()
      .certificateAuthority(0).commonName("telltale ws test root").build();
  private static final HeldCertificate LOCALHOST = new HeldCertificate.Builder()
      .signedBy(ROOT).addSubjectAlternativeName("localhost").commonName("localhost").build();

  private final MockWebServer server = new MockWebServer();
  private final WsFixture fx = new WsFixture(Session.builder()
      .resolver(host -> List.of(InetAddress.getByName("127.0.0.1")))
      .trustManager(new HandshakeCertificates.Builder().addTrustedCertificate(ROOT.certificate())
          .build().trustManager()));

  @AfterEach
  void closeEverything() {
    fx.close();
    server.close();
  }

  @Test
  void wssUpgradesOverTlsAndEchoes() throws Exception {
    HandshakeCertificates serverCerts = new HandshakeCertificates.Builder()
        .heldCertificate(LOCALHOST, ROOT.certificate()).build();
    server.useHttps(serverCerts.sslSocketFactory());
    server.start(InetAddress.getByName("127.0.0.1"), 0);
    EchoListener listener = new EchoListener(true, false);
    server.enqueue(new MockResponse.Builder().webSocketUpgrade(listener).build());

    Connect connect = fx.connect("localhost", server.getPort());
    Request request = fx.upgradeRequest(connect, "/secure", true);
    WebSocket socket = fx.upgrade(request, null);
    assertTrue(request.securityInfo().isPresent(), "the upgrade went over TLS");
    request.close();

    ByteBuffer banner = ByteBuffer.allocate(256);
    assertEquals(WebSocketBufferType.UTF8_MESSAGE, await(socket.receive(banner)).bufferType());
    byte[] big = new byte[200_000];
    new Random(11).nextBytes(big);
    await(socket.send(WebSocketBufferType.BINARY_MESSAGE, ByteBuffer.wrap(big)));
    ByteBuffer echo = ByteBuffer.allocate(big.length);
    WebSocketStatus status;
    do {
      status = await(socket.receive(echo));
    } while (status.bufferType() == WebSocketBufferType.BINARY_FRAGMENT);
    assertEquals(WebSocketBufferType.BINARY_MESSAGE, status.bufferType());
    assertEquals(ByteBuffer.wrap(big), echo.flip());
    await(socket.send(WebSocketBufferType.UTF8_MESSAGE, ByteBuffer.wrap("über tls".getBytes(StandardCharsets.UTF_8))));
    ByteBuffer text = ByteBuffer.allocate(64);
    WebSocketStatus got = await(socket.receive(text));
    assertEquals("über tls", new String(text.array(), 0, got.bytesTransferred(), StandardCharsets.UTF_8));
    await(socket.close(1000, "done"));
    assertEquals(new CloseStatus(1000, "success"), socket.queryCloseStatus());
    socket.close();
    fx.rec.awaitClosing(socket);
  }
}
