package dev.telltale.tls;

import static dev.telltale.testkit.AsyncAssertions.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.telltale.Request;
import dev.telltale.testkit.LeakCheck;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The client ends its TLS connections with close_notify, both when the exchange asked for
 * {@code Connection: close} and when a pooled connection is closed at the session's end.
 *
 * <p>How it is seen: the server speaks TLS through an {@link SSLSocket} layered over the accepted
 * socket, and the JDK reads exactly one TLS record at a time from it, so once the request was read
 * and the response written, the raw bytes left on the TCP stream until its end are exactly the
 * records the client sent while closing. (A JDK SSLSocket read cannot tell: without
 * {@code com.sun.net.ssl.requireCloseNotify} it returns -1 for a bare TCP close too.) With TLS
 * 1.2 an alert is a record of content type 21; with TLS 1.3 it is encrypted, a small
 * application_data record (23): the 2-byte alert, its inner content type, padding and the 16-byte
 * AEAD tag (35 bytes from the JDK). The client sends nothing else after its request, so that
 * record is the close_notify.
 */
@ExtendWith(LeakCheck.class)
class GapTlsTest {
  private static final int ALERT = 21;
  private static final int APPLICATION_DATA = 23;
  /** A TLS 1.3 encrypted alert: 2 bytes, the inner content type, a 16-byte tag; no padding. */
  private static final int MIN_ENCRYPTED_ALERT = 19;
  /**
   * The JDK pads encrypted alerts (a JDK 17 SSLSocket's close_notify is a 35-byte record); an
   * HTTP request or anything else the client could send is far larger.
   */
  private static final int MAX_ENCRYPTED_ALERT = 64;

  private TlsFixture fx;
  private TrailingBytesServer server;

  @AfterEach
  void closeEverything() throws Exception {
    if (fx != null) {
      fx.close();
    }
    if (server != null) {
      server.close();
    }
  }

  /** One TLS record header as it appeared on the wire. */
  private record RecordHeader(int type, int length) {}

  /**
   * Accepts one connection, does TLS, reads one request head, writes {@code response}, then reads
   * the raw TCP stream (below TLS) until the client closes it; {@link #trailing} is those bytes.
   */
  private static final class TrailingBytesServer implements AutoCloseable {
    final CompletableFuture<byte[]> trailing = new CompletableFuture<>();
    final CompletableFuture<String> head = new CompletableFuture<>();
    private final ServerSocket listener;
    private final Thread thread;
    private volatile Socket accepted;

    TrailingBytesServer(SSLContext context, String protocol, String response) throws IOException {
      listener = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
      thread = new Thread(() -> {
        try (Socket plain = listener.accept()) {
          accepted = plain;
          plain.setSoTimeout(20_000);
          plain.setTcpNoDelay(true);
          SSLSocket ssl = (SSLSocket) context.getSocketFactory().createSocket(plain, null, true);
          ssl.setUseClientMode(false);
          ssl.setEnabledProtocols(new String[] {protocol});
          head.complete(readHead(ssl.getInputStream()));
          OutputStream out = ssl.getOutputStream();
          out.write(response.getBytes(StandardCharsets.ISO_8859_1));
          out.flush();
          InputStream raw = plain.getInputStream(); // below TLS from here on
          ByteArrayOutputStream rest = new ByteArrayOutputStream();
          byte[] buffer = new byte[4096];
          for (int n; (n = raw.read(buffer)) >= 0; ) {
            rest.write(buffer, 0, n);
          }
          trailing.complete(rest.toByteArray());
        } catch (Throwable t) {
          head.completeExceptionally(t);
          trailing.completeExceptionally(t);
        }
      }, "gap-tls-server");
      thread.setDaemon(true);
      thread.start();
    }

    int port() {
      return listener.getLocalPort();
    }

    private static String readHead(InputStream in) throws IOException {
      ByteArrayOutputStream head = new ByteArrayOutputStream();
      int matched = 0;
      byte[] end = {'\r', '\n', '\r', '\n'};
      while (matched < 4) {
        int b = in.read();
        if (b < 0) {
          throw new IOException("EOF inside a request head");
        }
        head.write(b);
        matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
      }
      return head.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws Exception {
      listener.close();
      Socket s = accepted;
      if (s != null) {
        s.close();
      }
      thread.join(10_000);
    }
  }

  private static List<RecordHeader> records(byte[] bytes) {
    List<RecordHeader> records = new ArrayList<>();
    int i = 0;
    while (i + 5 <= bytes.length) {
      int type = bytes[i] & 0xFF;
      int length = ((bytes[i + 3] & 0xFF) << 8) | (bytes[i + 4] & 0xFF);
      records.add(new RecordHeader(type, length));
      i += 5 + length;
    }
    assertEquals(bytes.length, i, () -> "the trailing bytes are not whole TLS records: " + records);
    return records;
  }

  private static void assertCloseNotify(String protocol, byte[] trailing) {
    List<RecordHeader> records = records(trailing);
    if (protocol.equals("TLSv1.2")) {
      assertEquals(1, records.size(), () -> "expected one alert record (close_notify), got "
          + records + " (none at all: the client closed TCP without close_notify)");
      assertEquals(ALERT, records.get(0).type(), () -> "not an alert record: " + records);
    } else {
      assertEquals(1, records.size(), () -> "expected one encrypted alert record (close_notify),"
          + " got " + records + " (none at all: the client closed TCP without close_notify)");
      RecordHeader only = records.get(0);
      assertEquals(APPLICATION_DATA, only.type(), () -> "not a TLS 1.3 record: " + records);
      assertTrue(only.length() >= MIN_ENCRYPTED_ALERT && only.length() <= MAX_ENCRYPTED_ALERT,
          () -> "not the size of an encrypted alert: " + records);
    }
  }

  private static byte[] trailing(TrailingBytesServer server) throws Exception {
    return server.trailing.get(20, TimeUnit.SECONDS);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"TLSv1.2", "TLSv1.3"})
  void theClientSendsCloseNotifyBeforeClosingAConnectionItAskedToClose(String protocol)
      throws Exception {
    server = new TrailingBytesServer(Certificates.goodServer().sslContext(), protocol,
        "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
    fx = new TlsFixture();
    Request request = fx.secure(fx.connect(server.port()), "GET", "/close");
    request.addHeader("Connection", "close");
    await(request.sendRequest());
    assertEquals(protocol, request.securityInfo().orElseThrow().protocol());
    assertEquals(200, await(request.receiveResponse()).statusCode());
    assertEquals("ok", TlsFixture.readAll(request));
    // The client closes the connection once the body is complete (rule 17), before any close().
    byte[] rest = trailing(server);
    assertTrue(server.head.get(20, TimeUnit.SECONDS).contains("Connection: close"));
    assertCloseNotify(protocol, rest);
    assertTrue(fx.linesOf("request").contains("CONNECTION_CLOSED"), () -> fx.rec.lines().toString());
    fx.closeAllAndAwait();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"TLSv1.2", "TLSv1.3"})
  void theClientSendsCloseNotifyWhenAPooledConnectionIsClosedAtTheSessionsEnd(String protocol)
      throws Exception {
    server = new TrailingBytesServer(Certificates.goodServer().sslContext(), protocol,
        "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"); // keep-alive: the client pools it
    fx = new TlsFixture();
    Request request = fx.secure(fx.connect(server.port()), "GET", "/pooled");
    await(request.sendRequest());
    assertEquals(200, await(request.receiveResponse()).statusCode());
    assertEquals("ok", TlsFixture.readAll(request));
    assertTrue(!server.trailing.isDone(), "the connection stays open in the pool");
    fx.closeAllAndAwait(); // the session's end closes the pooled connection
    assertCloseNotify(protocol, trailing(server));
  }
}
