package dev.telltale.bench.load;

import dev.telltale.CallbackStatus;
import dev.telltale.Connect;
import dev.telltale.NotificationFlags;
import dev.telltale.OpenRequestFlag;
import dev.telltale.Option;
import dev.telltale.Request;
import dev.telltale.Session;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLContext;
import javax.net.ssl.X509TrustManager;

/**
 * telltale driven the WinHTTP way: sendRequest, receiveResponse, then readData into the lane's
 * buffer until it returns 0, each step continuing from the previous one's completion. With
 * {@code allNotifications} a no-op status callback takes every notification, which measures what
 * the events cost compared with none.
 */
final class TelltaleClient implements LoadClient {
  private final boolean allNotifications;
  private Session session;
  private final ConcurrentHashMap<String, Connect> connects = new ConcurrentHashMap<>();

  TelltaleClient() {
    this(false);
  }

  TelltaleClient(boolean allNotifications) {
    this.allNotifications = allNotifications;
  }

  @Override
  public void start(int connections, SSLContext ssl, X509TrustManager trust) {
    session = Session.builder().sslContext(ssl).idleTimeout(Duration.ofMinutes(5)).build();
    session.setOption(Option.MAX_CONNS_PER_SERVER, connections);
    if (allNotifications) {
      session.setStatusCallback((handle, context, event) -> {
        if (event.status() == CallbackStatus.REQUEST_ERROR) {
          context = event; // read the event, as a real callback would
        }
      }, NotificationFlags.ALL_NOTIFICATIONS);
    }
  }

  @Override
  public void get(URI uri, Done done) {
    Connect connect = connects.computeIfAbsent(uri.getHost() + ":" + uri.getPort(),
        k -> session.connect(uri.getHost(), uri.getPort()));
    Request request = "https".equals(uri.getScheme())
        ? connect.openRequest("GET", uri.getRawPath(), OpenRequestFlag.SECURE)
        : connect.openRequest("GET", uri.getRawPath());
    request.sendRequest().whenComplete((sent, e) -> {
      if (e != null) {
        fail(request, done, e);
        return;
      }
      request.receiveResponse().whenComplete((headers, e2) -> {
        if (e2 != null) {
          fail(request, done, e2);
        } else if (headers.statusCode() != 200) {
          fail(request, done, new IllegalStateException("status " + headers.statusCode()));
        } else {
          read(request, done, 0);
        }
      });
    });
  }

  private static void read(Request request, Done done, long total) {
    request.readData(done.buffer().clear()).whenComplete((n, e) -> {
      if (e != null) {
        fail(request, done, e);
      } else if (n == 0) {
        request.close();
        done.completed(total);
      } else {
        read(request, done, total + n);
      }
    });
  }

  private static void fail(Request request, Done done, Throwable e) {
    request.close();
    done.failed(e);
  }

  @Override
  public void close() throws InterruptedException {
    if (session != null) {
      connects.values().forEach(Connect::close); // the session closes once its children have
      session.close();
      session.awaitTermination(Duration.ofSeconds(10));
    }
  }
}
