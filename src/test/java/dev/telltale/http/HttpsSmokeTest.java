package dev.telltale.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.telltale.Connect;
import dev.telltale.ErrorCode;
import dev.telltale.HttpException;
import dev.telltale.NotificationFlags;
import dev.telltale.OpenRequestFlag;
import dev.telltale.Request;
import dev.telltale.Session;
import dev.telltale.testing.RecordingCallback;
import dev.telltale.testkit.LeakCheck;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.junit5.StartStop;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A first look at https end to end: a good chain, then a name that does not match. */
@ExtendWith(LeakCheck.class)
class HttpsSmokeTest {
  @StartStop final MockWebServer server = new MockWebServer();

  private static final HeldCertificate ROOT = new HeldCertificate.Builder().certificateAuthority(0)
      .commonName("test root").build();

  private HandshakeCertificates serverFor(String san) {
    HeldCertificate leaf = new HeldCertificate.Builder().signedBy(ROOT).addSubjectAlternativeName(san)
        .commonName(san).build();
    return new HandshakeCertificates.Builder().heldCertificate(leaf).build();
  }

  private Session session() {
    HandshakeCertificates client = new HandshakeCertificates.Builder()
        .addTrustedCertificate(ROOT.certificate()).build();
    return Session.builder().trustManager(client.trustManager())
        .resolver(host -> List.of(InetAddress.getByName("127.0.0.1"))).build();
  }

  @Test
  void getOverTlsWithAGoodChain() throws Exception {
    server.useHttps(serverFor("localhost").sslSocketFactory());
    server.enqueue(new MockResponse.Builder().body("secret").build());
    RecordingCallback rec = new RecordingCallback();
    Session session = session();
    session.setStatusCallback(rec, NotificationFlags.ALL_NOTIFICATIONS);
    Connect connect = session.connect("localhost", server.getPort());
    Request request = connect.openRequest("GET", "/", OpenRequestFlag.SECURE);
    request.sendRequest().get(20, TimeUnit.SECONDS);
    assertTrue(request.securityInfo().isPresent());
    assertTrue(request.connectionInfo().orElseThrow().tlsProtocol().startsWith("TLSv"));
    assertEquals(200, request.receiveResponse().get(20, TimeUnit.SECONDS).statusCode());
    ByteBuffer buffer = ByteBuffer.allocate(64);
    assertEquals(6, request.readData(buffer).get(20, TimeUnit.SECONDS));
    request.close();
    connect.close();
    session.close();
    rec.awaitClosing(session);
    rec.assertNext("""
        session HANDLE_CREATED connect
        request HANDLE_CREATED request
        request RESOLVING_NAME localhost
        request NAME_RESOLVED localhost
        request CONNECTING_TO_SERVER 127.0.0.1
        request CONNECTED_TO_SERVER 127.0.0.1
        request SENDING_REQUEST
        request REQUEST_SENT
        request SENDREQUEST_COMPLETE
        request RECEIVING_RESPONSE
        request RESPONSE_RECEIVED
        request HEADERS_AVAILABLE
        request READ_COMPLETE 6
        request HANDLE_CLOSING
        connect HANDLE_CLOSING
        session HANDLE_CLOSING
        """);
  }

  @Test
  void aNameMismatchIsASecureFailureWithCertCnInvalid() throws Exception {
    server.useHttps(serverFor("other.test").sslSocketFactory());
    RecordingCallback rec = new RecordingCallback();
    Session session = session();
    session.setStatusCallback(rec, NotificationFlags.ALL_NOTIFICATIONS);
    Connect connect = session.connect("localhost", server.getPort());
    Request request = connect.openRequest("GET", "/", OpenRequestFlag.SECURE);
    ExecutionException failed = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
        () -> request.sendRequest().get(20, TimeUnit.SECONDS));
    HttpException error = assertInstanceOf(HttpException.class, failed.getCause());
    assertEquals(ErrorCode.SECURE_FAILURE, error.code());
    assertTrue(rec.lines().stream().anyMatch(l -> l.startsWith("request SECURE_FAILURE")), rec.lines()::toString);
    request.close();
    connect.close();
    session.close();
    rec.awaitClosing(session);
  }
}
