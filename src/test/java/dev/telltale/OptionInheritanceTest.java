package dev.telltale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link Option}'s inheritance rule, as WinHTTP has it: a request copies the session's values when
 * it is created, and later changes on either side do not propagate; a connect handle reports its
 * session's current values. No network: requests are opened, never sent.
 */
class OptionInheritanceTest {
  private final Session session = Session.builder().build();
  private final java.util.List<Handle> opened = new java.util.ArrayList<>();

  private Connect connect() {
    Connect connect = session.connect("127.0.0.1", 1);
    opened.add(connect);
    return connect;
  }

  @AfterEach
  void close() throws Exception {
    opened.forEach(Handle::close);
    session.close();
    assertTrue(session.awaitTermination(Duration.ofSeconds(20)), "the session's threads ended");
  }

  @Test
  void aRequestTakesTheSessionsValuesAtCreationIncludingThoseSetAfterItsConnectHandle() {
    session.setOption(Option.MAX_HTTP_AUTOMATIC_REDIRECTS, 3);
    Connect connect = connect();
    session.setOption(Option.RECEIVE_TIMEOUT, Duration.ofSeconds(7)); // after the connect handle
    Request request = connect.openRequest("GET", "/");
    assertEquals(3, request.queryOption(Option.MAX_HTTP_AUTOMATIC_REDIRECTS));
    assertEquals(Duration.ofSeconds(7), request.queryOption(Option.RECEIVE_TIMEOUT));
    request.close();
  }

  @Test
  void laterChangesOnEitherSideDoNotPropagate() {
    session.setOption(Option.MAX_HTTP_AUTOMATIC_REDIRECTS, 3);
    Connect connect = connect();
    Request first = connect.openRequest("GET", "/");
    session.setOption(Option.MAX_HTTP_AUTOMATIC_REDIRECTS, 5);
    assertEquals(3, first.queryOption(Option.MAX_HTTP_AUTOMATIC_REDIRECTS), "the request kept its copy");

    first.setOption(Option.MAX_HTTP_AUTOMATIC_REDIRECTS, 1);
    assertEquals(1, first.queryOption(Option.MAX_HTTP_AUTOMATIC_REDIRECTS));
    assertEquals(5, session.queryOption(Option.MAX_HTTP_AUTOMATIC_REDIRECTS), "the session is untouched");

    Request second = connect.openRequest("GET", "/");
    assertEquals(5, second.queryOption(Option.MAX_HTTP_AUTOMATIC_REDIRECTS), "a new request copies the new value");
    assertEquals(Timeouts.defaults().receive(), second.queryOption(Option.RECEIVE_TIMEOUT), "never set: the default");
    first.close();
    second.close();
  }

  @Test
  void aConnectHandleReportsItsSessionsCurrentValuesButCannotSetThem() {
    Connect connect = connect();
    session.setOption(Option.MAX_CONNS_PER_SERVER, 4);
    assertEquals(4, connect.queryOption(Option.MAX_CONNS_PER_SERVER));
    session.setOption(Option.MAX_CONNS_PER_SERVER, 6);
    assertEquals(6, connect.queryOption(Option.MAX_CONNS_PER_SERVER));
    HandleException refused = assertThrows(HandleException.class,
        () -> connect.setOption(Option.MAX_HTTP_AUTOMATIC_REDIRECTS, 2));
    assertEquals(ErrorCode.INCORRECT_HANDLE_TYPE, refused.code());
  }

  @Test
  void concurrentSettersOnOneHandleLoseNoValue() throws Exception {
    Request request = connect().openRequest("GET", "/");
    Thread a = new Thread(() -> {
      for (int i = 0; i < 2000; i++) {
        request.setOption(Option.MAX_HTTP_AUTOMATIC_REDIRECTS, i % 50);
      }
    });
    Thread b = new Thread(() -> {
      for (int i = 1; i <= 2000; i++) {
        request.setOption(Option.MAX_RESPONSE_DRAIN_SIZE, (long) i);
      }
    });
    a.start();
    b.start();
    a.join();
    b.join();
    // copy-on-write under the handle's lock: neither setter's last value was overwritten by the other's copy
    assertEquals(1999 % 50, request.queryOption(Option.MAX_HTTP_AUTOMATIC_REDIRECTS));
    assertEquals(2000L, request.queryOption(Option.MAX_RESPONSE_DRAIN_SIZE));
    request.close();
  }
}
