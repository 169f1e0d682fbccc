package dev.telltale.bench.load;

import java.net.URI;
import java.nio.ByteBuffer;
import javax.net.ssl.SSLContext;
import javax.net.ssl.X509TrustManager;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * Jetty's {@code HttpClient} (HTTP/1.1 transport), asynchronous {@code send} with a listener that
 * counts and drops each content chunk.
 */
final class JettyLoadClient implements LoadClient {
  private HttpClient client;

  @Override
  public void start(int connections, SSLContext ssl, X509TrustManager trust) throws Exception {
    SslContextFactory.Client tls = new SslContextFactory.Client();
    tls.setSslContext(ssl);
    ClientConnector connector = new ClientConnector();
    connector.setSslContextFactory(tls);
    client = new HttpClient(new org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP(connector));
    client.setMaxConnectionsPerDestination(connections);
    client.setMaxRequestsQueuedPerDestination(Math.max(1024, connections * 4));
    client.setFollowRedirects(false);
    client.start();
  }

  @Override
  public void get(URI uri, Done done) {
    client.newRequest(uri).send(new Response.Listener() {
      private long total;

      @Override
      public void onContent(Response response, ByteBuffer content) {
        total += content.remaining();
        content.position(content.limit());
      }

      @Override
      public void onComplete(Result result) {
        if (result.isFailed()) {
          done.failed(result.getFailure());
        } else if (result.getResponse().getStatus() != 200) {
          done.failed(new IllegalStateException("status " + result.getResponse().getStatus()));
        } else {
          done.completed(total);
        }
      }
    });
  }

  @Override
  public void close() throws Exception {
    client.stop();
  }
}
