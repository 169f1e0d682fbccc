package dev.telltale.bench.load;

import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import javax.net.ssl.SSLContext;
import javax.net.ssl.X509TrustManager;
import org.apache.hc.client5.http.async.methods.AbstractBinResponseConsumer;
import org.apache.hc.client5.http.async.methods.SimpleRequestBuilder;
import org.apache.hc.client5.http.async.methods.SimpleRequestProducer;
import org.apache.hc.client5.http.config.TlsConfig;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManager;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.ClientTlsStrategyBuilder;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http2.HttpVersionPolicy;
import org.apache.hc.core5.io.CloseMode;

/**
 * Apache HttpClient 5 async (classic HTTP/1.1 over its I/O reactor), with a binary response
 * consumer that counts and drops each chunk.
 */
final class ApacheLoadClient implements LoadClient {
  private CloseableHttpAsyncClient client;

  @Override
  public void start(int connections, SSLContext ssl, X509TrustManager trust) {
    PoolingAsyncClientConnectionManager pool = PoolingAsyncClientConnectionManagerBuilder.create()
        .setTlsStrategy(ClientTlsStrategyBuilder.create().setSslContext(ssl).buildAsync())
        .setDefaultTlsConfig(TlsConfig.custom().setVersionPolicy(HttpVersionPolicy.FORCE_HTTP_1).build())
        .setMaxConnTotal(connections)
        .setMaxConnPerRoute(connections)
        .build();
    client = HttpAsyncClients.custom().setConnectionManager(pool).build();
    client.start();
  }

  @Override
  public void get(URI uri, Done done) {
    client.execute(SimpleRequestProducer.create(SimpleRequestBuilder.get(uri).build()),
        new Discarding(), new FutureCallback<Long>() {
          @Override
          public void completed(Long total) {
            done.completed(total);
          }

          @Override
          public void failed(Exception e) {
            done.failed(e);
          }

          @Override
          public void cancelled() {
            done.failed(new IllegalStateException("cancelled"));
          }
        });
  }

  /** Counts the body and lets each chunk go. */
  private static final class Discarding extends AbstractBinResponseConsumer<Long> {
    private long total;
    private int status;

    @Override
    protected void start(HttpResponse response, ContentType contentType) {
      status = response.getCode();
    }

    @Override
    protected int capacityIncrement() {
      return Integer.MAX_VALUE;
    }

    @Override
    protected void data(ByteBuffer src, boolean endOfStream) {
      total += src.remaining();
      src.position(src.limit());
    }

    @Override
    protected Long buildResult() {
      if (status != 200) {
        throw new IllegalStateException("status " + status);
      }
      return total;
    }

    @Override
    public void releaseResources() {}
  }

  @Override
  public void close() throws IOException {
    client.close(CloseMode.GRACEFUL);
  }
}
