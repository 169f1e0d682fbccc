package dev.telltale.bench.load;

import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.X509TrustManager;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.BufferedSource;

/**
 * OkHttp with {@code enqueue}: its dispatcher runs each call on a pooled thread (limits raised to
 * the connection count), and the body is drained through its Okio source, a segment at a time.
 */
final class OkHttpLoadClient implements LoadClient {
  private OkHttpClient client;

  @Override
  public void start(int connections, SSLContext ssl, X509TrustManager trust) {
    Dispatcher dispatcher = new Dispatcher();
    dispatcher.setMaxRequests(connections);
    dispatcher.setMaxRequestsPerHost(connections);
    client = new OkHttpClient.Builder()
        .dispatcher(dispatcher)
        .connectionPool(new ConnectionPool(connections, 5, TimeUnit.MINUTES))
        .protocols(List.of(Protocol.HTTP_1_1))
        .sslSocketFactory(ssl.getSocketFactory(), trust)
        .build();
  }

  @Override
  public void get(URI uri, Done done) {
    okhttp3.Request request = new okhttp3.Request.Builder().url(uri.toString()).build();
    client.newCall(request).enqueue(new Callback() {
      @Override
      public void onFailure(Call call, IOException e) {
        done.failed(e);
      }

      @Override
      public void onResponse(Call call, Response response) {
        try (response) {
          if (response.code() != 200) {
            done.failed(new IllegalStateException("status " + response.code()));
            return;
          }
          ResponseBody body = response.body();
          BufferedSource source = body.source();
          long total = 0;
          while (!source.exhausted()) {
            total += source.getBuffer().size();
            source.getBuffer().clear();
          }
          done.completed(total);
        } catch (IOException e) {
          done.failed(e);
        }
      }
    });
  }

  @Override
  public void close() {
    client.dispatcher().executorService().shutdown();
    client.connectionPool().evictAll();
  }
}
