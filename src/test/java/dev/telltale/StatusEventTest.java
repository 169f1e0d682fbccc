package dev.telltale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class StatusEventTest {

  private Handle handle;

  @AfterEach
  void closeHandle() {
    if (handle != null) {
      handle.close();
    }
  }

  /**
   * A handle to put in HANDLE_CREATED / HANDLE_CLOSING. Handle is sealed in the real library, so a
   * proxy only works against a non-sealed stand-in; otherwise open a real session.
   */
  private Handle anyHandle() throws Exception {
    try {
      handle =
          (Handle)
              Proxy.newProxyInstance(
                  Handle.class.getClassLoader(),
                  new Class<?>[] {Handle.class},
                  (p, m, a) -> m.getName().equals("type") ? HandleType.SESSION : null);
    } catch (IllegalArgumentException sealed) {
      handle = (Handle) Class.forName("dev.telltale.Session").getMethod("open").invoke(null);
    }
    return handle;
  }

  private record Row(StatusEvent event, CallbackStatus status, String text) {}

  private List<Row> everyKind() throws Exception {
    Handle h = anyHandle();
    InetAddress v4 = InetAddress.getByAddress("localhost", new byte[] {127, 0, 0, 1});
    InetAddress v6 = InetAddress.getByName("::1");
    HttpException refused = new HttpException(ErrorCode.CANNOT_CONNECT, "connection refused");
    List<Row> rows = new ArrayList<>();
    rows.add(
        row(
            new StatusEvent.ResolvingName("localhost"),
            CallbackStatus.RESOLVING_NAME,
            "RESOLVING_NAME localhost"));
    rows.add(
        row(
            new StatusEvent.NameResolved("localhost", List.of(v4, v6)),
            CallbackStatus.NAME_RESOLVED,
            "NAME_RESOLVED localhost [127.0.0.1, 0:0:0:0:0:0:0:1]"));
    rows.add(
        row(
            new StatusEvent.ConnectingToServer(new InetSocketAddress(v4, 8080)),
            CallbackStatus.CONNECTING_TO_SERVER,
            "CONNECTING_TO_SERVER 127.0.0.1:8080"));
    rows.add(
        row(
            new StatusEvent.ConnectedToServer(new InetSocketAddress(v6, 443)),
            CallbackStatus.CONNECTED_TO_SERVER,
            "CONNECTED_TO_SERVER [0:0:0:0:0:0:0:1]:443"));
    rows.add(
        row(
            StatusEvent.SendingRequest.INSTANCE,
            CallbackStatus.SENDING_REQUEST,
            "SENDING_REQUEST"));
    rows.add(row(new StatusEvent.RequestSent(78), CallbackStatus.REQUEST_SENT, "REQUEST_SENT 78"));
    rows.add(
        row(
            StatusEvent.ReceivingResponse.INSTANCE,
            CallbackStatus.RECEIVING_RESPONSE,
            "RECEIVING_RESPONSE"));
    rows.add(
        row(
            new StatusEvent.ResponseReceived(145),
            CallbackStatus.RESPONSE_RECEIVED,
            "RESPONSE_RECEIVED 145"));
    rows.add(
        row(
            StatusEvent.ClosingConnection.INSTANCE,
            CallbackStatus.CLOSING_CONNECTION,
            "CLOSING_CONNECTION"));
    rows.add(
        row(
            StatusEvent.ConnectionClosed.INSTANCE,
            CallbackStatus.CONNECTION_CLOSED,
            "CONNECTION_CLOSED"));
    rows.add(
        row(
            new StatusEvent.HandleCreated(h),
            CallbackStatus.HANDLE_CREATED,
            "HANDLE_CREATED SESSION"));
    rows.add(
        row(
            new StatusEvent.HandleClosing(h),
            CallbackStatus.HANDLE_CLOSING,
            "HANDLE_CLOSING SESSION"));
    rows.add(
        row(
            StatusEvent.DetectingProxy.INSTANCE,
            CallbackStatus.DETECTING_PROXY,
            "DETECTING_PROXY"));
    rows.add(
        row(
            new StatusEvent.Redirect(URI.create("http://u:pw@example.com:8080/next?code=s3cret#f")),
            CallbackStatus.REDIRECT,
            "REDIRECT http://example.com:8080/next?…"));
    rows.add(
        row(
            new StatusEvent.IntermediateResponse(100),
            CallbackStatus.INTERMEDIATE_RESPONSE,
            "INTERMEDIATE_RESPONSE 100"));
    rows.add(
        row(
            new StatusEvent.SecureFailure(
                Set.of(SecureFailureFlag.CERT_DATE_INVALID, SecureFailureFlag.INVALID_CA)),
            CallbackStatus.SECURE_FAILURE,
            "SECURE_FAILURE INVALID_CA|CERT_DATE_INVALID"));
    rows.add(
        row(
            StatusEvent.SendRequestComplete.INSTANCE,
            CallbackStatus.SENDREQUEST_COMPLETE,
            "SENDREQUEST_COMPLETE"));
    rows.add(
        row(
            StatusEvent.HeadersAvailable.INSTANCE,
            CallbackStatus.HEADERS_AVAILABLE,
            "HEADERS_AVAILABLE"));
    rows.add(
        row(
            new StatusEvent.DataAvailable(1024),
            CallbackStatus.DATA_AVAILABLE,
            "DATA_AVAILABLE 1024"));
    rows.add(
        row(
            new StatusEvent.ReadComplete(ByteBuffer.allocate(8), 8),
            CallbackStatus.READ_COMPLETE,
            "READ_COMPLETE 8"));
    rows.add(
        row(new StatusEvent.WriteComplete(16), CallbackStatus.WRITE_COMPLETE, "WRITE_COMPLETE 16"));
    rows.add(
        row(
            new StatusEvent.WebSocketReadComplete(
                new WebSocketStatus(5, WebSocketBufferType.UTF8_MESSAGE)),
            CallbackStatus.READ_COMPLETE,
            "READ_COMPLETE 5 UTF8_MESSAGE"));
    rows.add(
        row(
            new StatusEvent.WebSocketWriteComplete(
                new WebSocketStatus(3, WebSocketBufferType.BINARY_FRAGMENT)),
            CallbackStatus.WRITE_COMPLETE,
            "WRITE_COMPLETE 3 BINARY_FRAGMENT"));
    rows.add(
        row(
            new StatusEvent.RequestError(AsyncApi.SEND_REQUEST, refused),
            CallbackStatus.REQUEST_ERROR,
            "REQUEST_ERROR SEND_REQUEST CANNOT_CONNECT (12029)"));
    rows.add(
        row(
            StatusEvent.ShutdownComplete.INSTANCE,
            CallbackStatus.SHUTDOWN_COMPLETE,
            "SHUTDOWN_COMPLETE"));
    rows.add(
        row(StatusEvent.CloseComplete.INSTANCE, CallbackStatus.CLOSE_COMPLETE, "CLOSE_COMPLETE"));
    return rows;
  }

  private static Row row(StatusEvent event, CallbackStatus status, String text) {
    return new Row(event, status, text);
  }

  @Test
  void everyRecordReportsItsWinhttpStatus() throws Exception {
    for (Row r : everyKind()) {
      assertSame(r.status(), r.event().status(), r.event().getClass().getSimpleName());
    }
  }

  @Test
  void everyRecordHasAShortSingleLineToString() throws Exception {
    for (Row r : everyKind()) {
      assertEquals(r.text(), r.event().toString());
    }
  }

  @Test
  void theTableCoversEveryPermittedRecord() throws Exception {
    Set<Class<?>> covered = new HashSet<>();
    for (Row r : everyKind()) {
      covered.add(r.event().getClass());
    }
    assertEquals(Set.of(StatusEvent.class.getPermittedSubclasses()), covered);
    assertEquals(26, covered.size());
  }

  @Test
  void everyStatusButGetProxyForUrlCompleteHasARecord() throws Exception {
    Set<CallbackStatus> statuses = EnumSet.noneOf(CallbackStatus.class);
    for (Row r : everyKind()) {
      statuses.add(r.event().status());
    }
    assertEquals(
        EnumSet.complementOf(EnumSet.of(CallbackStatus.GETPROXYFORURL_COMPLETE)), statuses);
  }

  @Test
  void payloadFreeRecordsHaveSharedInstancesEqualToNewOnes() {
    assertEquals(new StatusEvent.SendingRequest(), StatusEvent.SendingRequest.INSTANCE);
    assertEquals(new StatusEvent.HeadersAvailable(), StatusEvent.HeadersAvailable.INSTANCE);
    assertEquals(new StatusEvent.CloseComplete(), StatusEvent.CloseComplete.INSTANCE);
  }

  @Test
  void listsAndSetsInPayloadsAreCopiedAndUnmodifiable() throws Exception {
    List<InetAddress> addresses = new ArrayList<>(List.of(InetAddress.getByName("127.0.0.1")));
    StatusEvent.NameResolved resolved = new StatusEvent.NameResolved("localhost", addresses);
    addresses.clear();
    assertEquals(1, resolved.addresses().size());
    assertThrows(UnsupportedOperationException.class, () -> resolved.addresses().clear());

    Set<SecureFailureFlag> flags = EnumSet.of(SecureFailureFlag.INVALID_CA);
    StatusEvent.SecureFailure failure = new StatusEvent.SecureFailure(flags);
    flags.add(SecureFailureFlag.CERT_REVOKED);
    assertEquals(Set.of(SecureFailureFlag.INVALID_CA), failure.flags());
    assertThrows(UnsupportedOperationException.class, () -> failure.flags().clear());
    assertEquals("SECURE_FAILURE", new StatusEvent.SecureFailure(Set.of()).toString());
  }

  @Test
  void nullAndOutOfRangePayloadsAreRejected() {
    assertThrows(NullPointerException.class, () -> new StatusEvent.ResolvingName(null));
    assertThrows(NullPointerException.class, () -> new StatusEvent.NameResolved("h", null));
    assertThrows(NullPointerException.class, () -> new StatusEvent.ConnectingToServer(null));
    assertThrows(NullPointerException.class, () -> new StatusEvent.HandleCreated(null));
    assertThrows(NullPointerException.class, () -> new StatusEvent.HandleClosing(null));
    assertThrows(NullPointerException.class, () -> new StatusEvent.Redirect(null));
    assertThrows(NullPointerException.class, () -> new StatusEvent.SecureFailure(null));
    assertThrows(NullPointerException.class, () -> new StatusEvent.ReadComplete(null, 0));
    assertThrows(NullPointerException.class, () -> new StatusEvent.WebSocketReadComplete(null));
    assertThrows(
        NullPointerException.class, () -> new StatusEvent.RequestError(AsyncApi.READ_DATA, null));
    assertThrows(
        NullPointerException.class,
        () -> new StatusEvent.RequestError(null, new HttpException(ErrorCode.TIMEOUT, "t")));
    assertThrows(IllegalArgumentException.class, () -> new StatusEvent.RequestSent(-1));
    assertThrows(IllegalArgumentException.class, () -> new StatusEvent.DataAvailable(-1));
    assertThrows(IllegalArgumentException.class, () -> new StatusEvent.IntermediateResponse(200));
    assertThrows(IllegalArgumentException.class, () -> new StatusEvent.IntermediateResponse(99));
  }

  @Test
  void redirectToStringWithoutQueryShowsTheWholeLocation() {
    assertEquals(
        "REDIRECT https://example.com/a/b",
        new StatusEvent.Redirect(URI.create("https://example.com/a/b")).toString());
    assertEquals(
        "REDIRECT https://[::1]:8443/",
        new StatusEvent.Redirect(URI.create("https://[::1]:8443/")).toString());
  }
}
