package dev.telltale.bench.load;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import javax.net.ssl.SSLContext;
import javax.net.ssl.X509TrustManager;

/**
 * The JDK's {@code java.net.http.HttpClient} over HTTP/1.1, bodies read and dropped by a
 * subscriber that counts them (as {@code BodyHandlers.discarding()} does, plus a sum). It opens a connection per concurrent request and pools them.
 */
final class JdkClient implements LoadClient {
  private HttpClient client;

  @Override
  public void start(int connections, SSLContext ssl, X509TrustManager trust) {
    client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(ssl).build();
  }

  @Override
  public void get(URI uri, Done done) {
    HttpRequest request = HttpRequest.newBuilder(uri).GET().build();
    client.sendAsync(request, info -> new Counting()).whenComplete((response, e) -> {
      if (e != null) {
        done.failed(e);
      } else if (response.statusCode() != 200) {
        done.failed(new IllegalStateException("status " + response.statusCode()));
      } else {
        done.completed(response.body());
      }
    });
  }

  /** Like {@code BodyHandlers.discarding()}, counting the bytes it drops. */
  private static final class Counting implements HttpResponse.BodySubscriber<Long> {
    private final java.util.concurrent.CompletableFuture<Long> result = new java.util.concurrent.CompletableFuture<>();
    private long total;

    @Override
    public java.util.concurrent.CompletionStage<Long> getBody() {
      return result;
    }

    @Override
    public void onSubscribe(java.util.concurrent.Flow.Subscription subscription) {
      subscription.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(java.util.List<java.nio.ByteBuffer> item) {
      for (java.nio.ByteBuffer buffer : item) {
        total += buffer.remaining();
      }
    }

    @Override
    public void onError(Throwable throwable) {
      result.completeExceptionally(throwable);
    }

    @Override
    public void onComplete() {
      result.complete(total);
    }
  }

  @Override
  public void close() {
    client = null; // HttpClient (Java 17) has no close; its threads are daemons
  }
}
