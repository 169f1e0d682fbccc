package dev.telltale.bench.load;

import java.net.URI;
import java.nio.ByteBuffer;
import javax.net.ssl.SSLContext;
import javax.net.ssl.X509TrustManager;

/**
 * One HTTP client under load: asynchronous GETs that read and discard the whole body. Each
 * implementation configures its client the way its documentation recommends for many keep-alive
 * connections to one server, with room for {@code connections} of them.
 */
interface LoadClient extends AutoCloseable {
  /**
   * One lane of the load: a GET in flight at a time. Its {@link #buffer()} is scratch space for a
   * client whose API reads into a caller's buffer, reused for every request of the lane.
   */
  interface Done {
    ByteBuffer buffer();

    void completed(long bodyBytes);

    void failed(Throwable error);
  }

  /** Creates the client: at most {@code connections} connections, TLS trusting {@code ssl}. */
  void start(int connections, SSLContext ssl, X509TrustManager trust) throws Exception;

  /** Starts one GET; {@code done} is called once, on whatever thread the client uses. */
  void get(URI uri, Done done);

  @Override
  void close() throws Exception;
}
