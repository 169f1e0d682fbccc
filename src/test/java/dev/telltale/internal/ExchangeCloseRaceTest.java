package dev.telltale.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.telltale.AsyncApi;
import dev.telltale.Connect;
import dev.telltale.ErrorCode;
import dev.telltale.HttpException;
import dev.telltale.NotificationFlags;
import dev.telltale.Request;
import dev.telltale.Session;
import dev.telltale.testing.RecordingCallback;
import dev.telltale.testkit.LeakCheck;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An operation passes the public call's "is the handle open?" check, then the handle closes on
 * its loop before the operation's task runs there. Its future must still complete (cancelled),
 * silently: nothing may follow HANDLE_CLOSING. Driven directly on the exchange, deterministically.
 */
@ExtendWith(LeakCheck.class)
class ExchangeCloseRaceTest {
  @Test
  void operationsReachingAClosedExchangeFailWithOperationCancelledAndNotifyNothing() throws Exception {
    RecordingCallback rec = new RecordingCallback();
    try (Session session = Session.open()) {
      session.setStatusCallback(rec, NotificationFlags.ALL_NOTIFICATIONS);
      Connect connect = session.connect("127.0.0.1", 9);
      Request request = connect.openRequest("GET", "/");
      Field field = Request.class.getDeclaredField("exchange");
      field.setAccessible(true);
      Exchange exchange = (Exchange) field.get(request);
      request.close();
      rec.awaitClosing(request);

      Op send = new Op(AsyncApi.SEND_REQUEST);
      Op receive = new Op(AsyncApi.RECEIVE_RESPONSE);
      Op read = new Op(AsyncApi.READ_DATA);
      Op write = new Op(AsyncApi.WRITE_DATA);
      CompletableFuture<Void> done = new CompletableFuture<>();
      exchange.loop().submit(() -> {
        exchange.send(send, new RequestMessage("GET", "/", new Origin(false, "127.0.0.1", 9),
            java.util.List.of()), null, 0);
        exchange.receive(receive);
        exchange.data(read, ByteBuffer.allocate(8));
        exchange.write(write, ByteBuffer.allocate(8));
        done.complete(null);
      });
      done.get(20, TimeUnit.SECONDS);
      for (Op op : new Op[] {send, receive, read, write}) {
        ExecutionException failed = assertThrows(ExecutionException.class,
            () -> op.future().get(20, TimeUnit.SECONDS));
        assertEquals(ErrorCode.OPERATION_CANCELLED,
            assertInstanceOf(HttpException.class, failed.getCause()).code());
      }
      connect.close();
      session.close();
      rec.awaitClosing(session);
      rec.assertNext("""
          session HANDLE_CREATED connect
          request HANDLE_CREATED request
          request HANDLE_CLOSING
          connect HANDLE_CLOSING
          session HANDLE_CLOSING
          """);
    }
  }
}
