package dev.telltale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.telltale.testkit.AsyncAssertions;
import dev.telltale.testkit.LeakCheck;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

@ExtendWith(LeakCheck.class)
class StatusAdapterTest {
  @StartStop final MockWebServer server = new MockWebServer();

  /** One handler call: the method's name and every argument, handle and context included. */
  record Call(String method, List<Object> args) {
    Handle handle() {
      return (Handle) args.get(0);
    }
  }

  /** Overrides every handler and records each call. */
  static class Recorder extends StatusAdapter {
    final List<Call> calls = new ArrayList<>();
    final CompletableFuture<Void> sessionClosed = new CompletableFuture<>();

    private synchronized void record(String method, Object... args) {
      calls.add(new Call(method, Arrays.asList(args)));
    }

    synchronized List<Call> calls() {
      return List.copyOf(calls);
    }

    @Override
    protected void onResolvingName(Handle handle, Object context, String hostName) {
      record("onResolvingName", handle, context, hostName);
    }

    @Override
    protected void onNameResolved(
        Handle handle, Object context, String hostName, List<InetAddress> addresses) {
      record("onNameResolved", handle, context, hostName, addresses);
    }

    @Override
    protected void onConnectingToServer(Handle handle, Object context, InetSocketAddress address) {
      record("onConnectingToServer", handle, context, address);
    }

    @Override
    protected void onConnectedToServer(Handle handle, Object context, InetSocketAddress address) {
      record("onConnectedToServer", handle, context, address);
    }

    @Override
    protected void onSendingRequest(Handle handle, Object context) {
      record("onSendingRequest", handle, context);
    }

    @Override
    protected void onRequestSent(Handle handle, Object context, long bytesSent) {
      record("onRequestSent", handle, context, bytesSent);
    }

    @Override
    protected void onReceivingResponse(Handle handle, Object context) {
      record("onReceivingResponse", handle, context);
    }

    @Override
    protected void onResponseReceived(Handle handle, Object context, long bytesReceived) {
      record("onResponseReceived", handle, context, bytesReceived);
    }

    @Override
    protected void onClosingConnection(Handle handle, Object context) {
      record("onClosingConnection", handle, context);
    }

    @Override
    protected void onConnectionClosed(Handle handle, Object context) {
      record("onConnectionClosed", handle, context);
    }

    @Override
    protected void onHandleCreated(Handle handle, Object context, Handle created) {
      record("onHandleCreated", handle, context, created);
    }

    @Override
    protected void onHandleClosing(Handle handle, Object context, Handle closing) {
      record("onHandleClosing", handle, context, closing);
      if (closing.type() == HandleType.SESSION) {
        sessionClosed.complete(null);
      }
    }

    @Override
    protected void onDetectingProxy(Handle handle, Object context) {
      record("onDetectingProxy", handle, context);
    }

    @Override
    protected void onRedirect(Handle handle, Object context, URI location) {
      record("onRedirect", handle, context, location);
    }

    @Override
    protected void onIntermediateResponse(Handle handle, Object context, int statusCode) {
      record("onIntermediateResponse", handle, context, statusCode);
    }

    @Override
    protected void onSecureFailure(Handle handle, Object context, Set<SecureFailureFlag> flags) {
      record("onSecureFailure", handle, context, flags);
    }

    @Override
    protected void onSendRequestComplete(Handle handle, Object context) {
      record("onSendRequestComplete", handle, context);
    }

    @Override
    protected void onHeadersAvailable(Handle handle, Object context) {
      record("onHeadersAvailable", handle, context);
    }

    @Override
    protected void onDataAvailable(Handle handle, Object context, int bytesAvailable) {
      record("onDataAvailable", handle, context, bytesAvailable);
    }

    @Override
    protected void onReadComplete(
        Handle handle, Object context, ByteBuffer buffer, int bytesRead) {
      record("onReadComplete", handle, context, buffer, bytesRead);
    }

    @Override
    protected void onWriteComplete(Handle handle, Object context, int bytesWritten) {
      record("onWriteComplete", handle, context, bytesWritten);
    }

    @Override
    protected void onWebSocketReadComplete(
        Handle handle, Object context, WebSocketStatus result) {
      record("onWebSocketReadComplete", handle, context, result);
    }

    @Override
    protected void onWebSocketWriteComplete(
        Handle handle, Object context, WebSocketStatus result) {
      record("onWebSocketWriteComplete", handle, context, result);
    }

    @Override
    protected void onRequestError(
        Handle handle, Object context, AsyncApi api, HttpException error) {
      record("onRequestError", handle, context, api, error);
    }

    @Override
    protected void onShutdownComplete(Handle handle, Object context) {
      record("onShutdownComplete", handle, context);
    }

    @Override
    protected void onCloseComplete(Handle handle, Object context) {
      record("onCloseComplete", handle, context);
    }

    @Override
    protected void onGetProxyForUrlComplete(Handle handle, Object context) {
      record("onGetProxyForUrlComplete", handle, context);
    }
  }

  static Stream<Class<?>> everyRecord() {
    return Arrays.stream(StatusEvent.class.getPermittedSubclasses());
  }

  /** The handler methods StatusAdapter declares: every declared method but onStatus. */
  private static List<Method> handlers() {
    return Arrays.stream(StatusAdapter.class.getDeclaredMethods())
        .filter(m -> !m.isSynthetic() && !m.getName().equals("onStatus"))
        .collect(Collectors.toList());
  }

  /** A sample of each payload type; each value distinct, so a swapped argument shows. */
  private static Object sample(Class<?> type, Handle handle) throws Exception {
    InetAddress address =
        InetAddress.getByAddress("example.com", new byte[] {93, (byte) 184, (byte) 215, 14});
    if (type == String.class) {
      return "example.com";
    } else if (type == List.class) {
      return List.of(address, InetAddress.getByName("::1"));
    } else if (type == InetSocketAddress.class) {
      return new InetSocketAddress(address, 8443);
    } else if (type == long.class) {
      return 1234L;
    } else if (type == int.class) {
      return 103; // also a valid 1xx for IntermediateResponse
    } else if (type == Handle.class) {
      return handle;
    } else if (type == URI.class) {
      return URI.create("https://example.com/next?page=2");
    } else if (type == Set.class) {
      return EnumSet.of(SecureFailureFlag.INVALID_CA, SecureFailureFlag.CERT_DATE_INVALID);
    } else if (type == ByteBuffer.class) {
      return ByteBuffer.wrap("hello".getBytes(StandardCharsets.US_ASCII));
    } else if (type == WebSocketStatus.class) {
      return new WebSocketStatus(5, WebSocketBufferType.UTF8_MESSAGE);
    } else if (type == AsyncApi.class) {
      return AsyncApi.READ_DATA;
    } else if (type == HttpException.class) {
      return new HttpException(ErrorCode.CONNECTION_ERROR, "connection reset");
    }
    throw new AssertionError("no sample for a payload of type " + type.getName()
        + ": add one to StatusAdapterTest.sample");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("everyRecord")
  void eachRecordCallsItsOwnHandlerOnceWithThePayloadUnpacked(Class<?> type) throws Exception {
    RecordComponent[] components = type.getRecordComponents();
    Class<?>[] types = Arrays.stream(components).map(RecordComponent::getType)
        .toArray(Class<?>[]::new);
    // delivered through the session; a connect is the payload of HANDLE_CREATED / HANDLE_CLOSING
    Session session = Session.open();
    Connect connect = session.connect("127.0.0.1", 1); // no network activity
    Recorder recorder = new Recorder();
    Object context = new Object();
    StatusEvent event;
    try {
      Object[] values = new Object[components.length];
      for (int i = 0; i < values.length; i++) {
        values[i] = sample(types[i], connect);
      }
      event = (StatusEvent) type.getDeclaredConstructor(types).newInstance(values);

      recorder.onStatus(session, context, event);
    } finally {
      connect.close();
      session.close();
      AsyncAssertions.awaitTermination(session);
    }

    List<Call> calls = recorder.calls();
    assertEquals(List.of("on" + type.getSimpleName()),
        calls.stream().map(Call::method).collect(Collectors.toList()), "handlers called");
    List<Object> args = calls.get(0).args();
    assertEquals(2 + components.length, args.size());
    assertSame(session, args.get(0), "handle");
    assertSame(context, args.get(1), "context");
    for (int i = 0; i < components.length; i++) {
      // the record's own value (records may copy their arguments), passed on as is
      Object expected = components[i].getAccessor().invoke(event);
      if (types[i].isPrimitive()) {
        assertEquals(expected, args.get(2 + i), components[i].getName());
      } else {
        assertSame(expected, args.get(2 + i), components[i].getName());
      }
    }
  }

  @Test
  void everyRecordHasAHandlerNamedAfterItTakingHandleContextAndItsComponents() {
    List<String> problems = new ArrayList<>();
    for (Class<?> type : StatusEvent.class.getPermittedSubclasses()) {
      RecordComponent[] components = type.getRecordComponents();
      List<Type> expected = new ArrayList<>(List.of(Handle.class, Object.class));
      Arrays.stream(components).map(RecordComponent::getGenericType).forEach(expected::add);
      String name = "on" + type.getSimpleName();
      List<Method> found = handlers().stream().filter(m -> m.getName().equals(name))
          .collect(Collectors.toList());
      if (found.size() != 1) {
        problems.add(name + ": " + found.size() + " methods");
        continue;
      }
      Method m = found.get(0);
      if (!expected.equals(List.of(m.getGenericParameterTypes()))) {
        problems.add(name + " takes " + List.of(m.getGenericParameterTypes()) + ", expected "
            + expected);
      }
      if (m.getReturnType() != void.class || !Modifier.isProtected(m.getModifiers())
          || Modifier.isFinal(m.getModifiers())) {
        problems.add(name + " is not an overridable protected void method");
      }
    }
    assertEquals(List.of(), problems);
  }

  @Test
  void everyHandlerIsForARecordExceptGetProxyForUrlCompleteWhichHasNone() {
    Set<String> records = Arrays.stream(StatusEvent.class.getPermittedSubclasses())
        .map(c -> "on" + c.getSimpleName()).collect(Collectors.toCollection(TreeSet::new));
    Set<String> methods = handlers().stream().map(Method::getName)
        .collect(Collectors.toCollection(TreeSet::new));
    methods.remove("onGetProxyForUrlComplete");
    assertEquals(records, methods);
  }

  @Test
  void onStatusIsFinalAndTheRecorderOverridesEveryHandler() throws Exception {
    assertTrue(Modifier.isFinal(
        StatusAdapter.class.getMethod("onStatus", Handle.class, Object.class, StatusEvent.class)
            .getModifiers()));
    List<String> missing = new ArrayList<>();
    for (Method m : handlers()) {
      try {
        Recorder.class.getDeclaredMethod(m.getName(), m.getParameterTypes());
      } catch (NoSuchMethodException e) {
        missing.add(m.getName());
      }
    }
    assertEquals(List.of(), missing, "the dispatch test can only see overridden handlers");
  }

  @Test
  void anAdapterOnTheSessionSeesAGetFromResolvingToClosing() throws Exception {
    server.enqueue(new MockResponse.Builder().body("hello").build());
    Recorder recorder = new Recorder();
    Session session = Session.open();
    session.setContext("trace-42");
    session.setStatusCallback(recorder, NotificationFlags.ALL_NOTIFICATIONS);
    Connect connect = session.connect("127.0.0.1", server.getPort());
    Request request = connect.openRequest("GET", "/hello");
    ByteBuffer buffer = ByteBuffer.allocate(100);
    try {
      AsyncAssertions.await(request.sendRequest());
      assertEquals(200, AsyncAssertions.await(request.receiveResponse()).statusCode());
      assertEquals(5, AsyncAssertions.await(request.readData(buffer)));
      assertEquals(0, AsyncAssertions.await(request.readData(buffer)));
    } finally {
      request.close();
      connect.close();
      session.close();
    }
    AsyncAssertions.await(recorder.sessionClosed);

    Map<Handle, String> names = new IdentityHashMap<>();
    names.put(session, "session");
    names.put(connect, "connect");
    names.put(request, "request");
    List<Call> calls = recorder.calls();
    String table = calls.stream().map(c -> describe(c, names, buffer))
        .collect(Collectors.joining("\n"));
    assertEquals("""
        session onHandleCreated connect
        request onHandleCreated request
        request onResolvingName 127.0.0.1
        request onNameResolved 127.0.0.1 [127.0.0.1]
        request onConnectingToServer 127.0.0.1
        request onConnectedToServer 127.0.0.1
        request onSendingRequest
        request onRequestSent (bytes)
        request onSendRequestComplete
        request onReceivingResponse
        request onResponseReceived (bytes)
        request onHeadersAvailable
        request onReadComplete (the buffer) 5
        request onReadComplete (the buffer) 0
        request onHandleClosing request
        connect onHandleClosing connect
        session onHandleClosing session""", table);
    assertTrue(calls.stream().allMatch(c -> "trace-42".equals(c.args().get(1))),
        "every handler gets the context");
    AsyncAssertions.awaitTermination(session);
  }

  /** {@code request onReadComplete (the buffer) 5}: the handle, the method, the payload. */
  private static String describe(Call call, Map<Handle, String> names, ByteBuffer buffer) {
    StringBuilder sb = new StringBuilder(names.getOrDefault(call.handle(), "?"))
        .append(' ').append(call.method());
    for (Object arg : call.args().subList(2, call.args().size())) {
      sb.append(' ');
      if (arg instanceof Handle h) {
        sb.append(names.getOrDefault(h, "?"));
      } else if (arg instanceof InetSocketAddress a) {
        sb.append(a.getAddress().getHostAddress());
      } else if (arg instanceof List<?> list) {
        sb.append(list.stream().map(a -> ((InetAddress) a).getHostAddress())
            .collect(Collectors.joining(", ", "[", "]")));
      } else if (arg instanceof ByteBuffer b) {
        sb.append(b == buffer ? "(the buffer)" : "(another buffer)");
      } else if (arg instanceof Long n) {
        sb.append(n > 0 ? "(bytes)" : n.toString()); // the head sizes vary with the port
      } else {
        sb.append(arg);
      }
    }
    return sb.toString();
  }
}
