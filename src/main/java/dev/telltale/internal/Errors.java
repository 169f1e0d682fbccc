package dev.telltale.internal;

import dev.telltale.ErrorCode;
import dev.telltale.HttpException;
import dev.telltale.ResponseHeaders;
import dev.telltale.internal.http1.ProtocolViolation;
import dev.telltale.internal.http1.ResponseHead;
import dev.telltale.internal.tls.EngineState;
import dev.telltale.internal.tls.SecureFailures;
import dev.telltale.internal.tls.TlsContext;
import dev.telltale.internal.tls.TlsTransport;
import dev.telltale.internal.tls.TlsTruncation;
import java.io.IOException;
import javax.net.ssl.SSLException;

/** Maps codec results to the public vocabulary: one place, so codes stay consistent (rule 21). */
final class Errors {
  private Errors() {}

  /** A parser's complaint as the WinHTTP error an application sees. */
  static HttpException fromViolation(ProtocolViolation violation) {
    ErrorCode code = switch (violation.kind()) {
      case HEADER_SIZE_OVERFLOW -> ErrorCode.HEADER_SIZE_OVERFLOW;
      case HEADER_COUNT_EXCEEDED -> ErrorCode.HEADER_COUNT_EXCEEDED;
      case TRUNCATED -> ErrorCode.CONNECTION_ERROR;
      case MALFORMED -> ErrorCode.INVALID_SERVER_RESPONSE;
    };
    return new HttpException(code, violation.getMessage(), violation);
  }

  /**
   * A failed read or write: a TLS alert on an established connection (a client certificate the
   * server wanted, say) keeps its TLS meaning; anything else is CONNECTION_ERROR.
   */
  static HttpException fromIo(IOException e, Connection c, Origin origin, TlsContext tls) {
    if (e instanceof SSLException && !(e instanceof TlsTruncation) && c != null
        && c.transport() instanceof TlsTransport transport) {
      EngineState state = tls.state(transport.engine());
      SecureFailures.Verdict verdict =
          SecureFailures.classify(e, state != null && state.clientCertificateMissing());
      return new HttpException(verdict.code(), "TLS with " + origin + " failed: " + e.getMessage(), e);
    }
    return new HttpException(ErrorCode.CONNECTION_ERROR, "connection to " + origin
        + " failed: " + e.getMessage(), e);
  }

  /** The parsed head as the public, immutable {@link ResponseHeaders} (sharing its fields). */
  static ResponseHeaders toPublic(ResponseHead head) {
    return HeadersAccess.of(head);
  }
}
