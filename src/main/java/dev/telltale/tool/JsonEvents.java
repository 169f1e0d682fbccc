package dev.telltale.tool;

import dev.telltale.HttpException;
import dev.telltale.RequestTimings;
import dev.telltale.SecureFailureFlag;
import dev.telltale.SecurityInfo;
import dev.telltale.StatusEvent;
import java.net.HttpCookie;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The tracer's {@code --json} lines: one JSON object per event and one summary per request, for
 * other tools to read.
 *
 * <pre>
 * {"t_ms":1.23,"handle":"request","status":"RESOLVING_NAME","value":1,"payload":{"host":"example.com"}}
 * {"summary":{"path":"/","status_code":200,"total_ms":12.345,...}}
 * </pre>
 *
 * <p>The payload holds the event record's fields under snake_case names; like the records'
 * {@code toString()}, it never holds header values, and a redirect's location leaves out user
 * info, query and fragment.
 */
final class JsonEvents {
  private JsonEvents() {}

  /**
   * One event as a JSON line.
   *
   * @param elapsedNanos time since the tracer started
   * @param handle the handle's type in lower case ({@code session}, {@code connect}, {@code
   *     request})
   */
  static String event(long elapsedNanos, String handle, StatusEvent event) {
    return new JsonWriter().millis("t_ms", elapsedNanos).field("handle", handle)
        .field("status", event.status().name()).field("value", event.status().value())
        .field("payload", payload(event)).end();
  }

  /** The fields of the event's record. */
  static JsonWriter payload(StatusEvent event) {
    JsonWriter p = new JsonWriter();
    if (event instanceof StatusEvent.ResolvingName e) {
      p.field("host", e.hostName());
    } else if (event instanceof StatusEvent.NameResolved e) {
      List<String> addresses = new ArrayList<>();
      for (InetAddress address : e.addresses()) {
        addresses.add(address.getHostAddress());
      }
      p.field("host", e.hostName()).field("addresses", addresses);
    } else if (event instanceof StatusEvent.ConnectingToServer e) {
      address(p, e.address());
    } else if (event instanceof StatusEvent.ConnectedToServer e) {
      address(p, e.address());
    } else if (event instanceof StatusEvent.RequestSent e) {
      p.field("bytes_sent", e.bytesSent());
    } else if (event instanceof StatusEvent.ResponseReceived e) {
      p.field("bytes_received", e.bytesReceived());
    } else if (event instanceof StatusEvent.HandleCreated e) {
      p.field("handle", lower(e.created().type().name()));
    } else if (event instanceof StatusEvent.HandleClosing e) {
      p.field("handle", lower(e.closing().type().name()));
    } else if (event instanceof StatusEvent.Redirect e) {
      // the record's toString() is "REDIRECT " and the location without its secrets
      p.field("location", e.toString().substring("REDIRECT ".length()));
    } else if (event instanceof StatusEvent.IntermediateResponse e) {
      p.field("status_code", e.statusCode());
    } else if (event instanceof StatusEvent.SecureFailure e) {
      List<String> flags = new ArrayList<>();
      for (SecureFailureFlag flag : e.flags()) {
        flags.add(flag.name());
      }
      p.field("flags", flags);
    } else if (event instanceof StatusEvent.DataAvailable e) {
      p.field("bytes_available", e.bytesAvailable());
    } else if (event instanceof StatusEvent.ReadComplete e) {
      p.field("bytes_read", e.bytesRead());
    } else if (event instanceof StatusEvent.WriteComplete e) {
      p.field("bytes_written", e.bytesWritten());
    } else if (event instanceof StatusEvent.WebSocketReadComplete e) {
      p.field("bytes", e.result().bytesTransferred()).field("buffer_type", e.result().bufferType().name());
    } else if (event instanceof StatusEvent.WebSocketWriteComplete e) {
      p.field("bytes", e.result().bytesTransferred()).field("buffer_type", e.result().bufferType().name());
    } else if (event instanceof StatusEvent.RequestError e) {
      error(p.field("api", e.api().name()), e.error(), false);
    }
    // the others (SENDING_REQUEST, HEADERS_AVAILABLE, ...) have no payload: {}
    return p;
  }

  /**
   * A request's summary line: {@code {"summary":{...}}} with its method and path (without the
   * query, which may carry secrets), the status code (if a final response arrived), every phase
   * of the timings in milliseconds, the bytes, where the body was saved (with {@code -o}), the
   * negotiated TLS protocol (https), the credentials set ({@code "auth"}: target, scheme and the
   * status that asked for them, none if pre-emptive), the decoded content coding and encoded size
   * ({@code --compressed}) and the error (if it failed).
   */
  static String summary(RequestTrace.Outcome outcome, RequestTimings t) {
    JsonWriter s = new JsonWriter().field("method", outcome.step.method())
        .field("path", withoutQuery(outcome.step.path()));
    if (outcome.statusCode != 0) {
      s.field("status_code", outcome.statusCode);
    }
    s.millis("queued_ms", t.queued()).millis("resolve_ms", t.resolve())
        .millis("connect_ms", t.connect()).millis("tls_ms", t.tlsHandshake())
        .millis("send_ms", t.send()).millis("wait_ms", t.serverWait())
        .millis("first_byte_ms", t.timeToFirstByte()).millis("download_ms", t.download())
        .millis("total_ms", t.total()).field("bytes_sent", t.bytesSent())
        .field("bytes_received", t.bytesReceived()).field("body_bytes", outcome.bodyBytes)
        .field("redirects", t.redirects()).field("connection_reused", t.connectionReused())
        .field("complete", t.complete());
    if (outcome.step.output() != null) {
      s.field("saved_to", outcome.step.output().toString());
    }
    if (!outcome.answers.isEmpty()) {
      List<JsonWriter> answers = new ArrayList<>();
      for (RequestTrace.Answer answer : outcome.answers) {
        JsonWriter a = new JsonWriter().field("target", lower(answer.target().name()))
            .field("scheme", answer.scheme().name());
        if (answer.challengeStatus() != 0) {
          a.field("challenge_status", answer.challengeStatus());
        }
        answers.add(a);
      }
      s.objects("auth", answers);
    }
    if (outcome.decodedCoding != null) {
      s.field("content_encoding", outcome.decodedCoding);
      if (outcome.encodedBytes >= 0) {
        s.field("encoded_body_bytes", outcome.encodedBytes);
      }
    }
    SecurityInfo security = outcome.security;
    if (security != null) {
      s.field("tls", new JsonWriter().field("protocol", security.protocol())
          .field("cipher_suite", security.cipherSuite()));
    }
    if (outcome.failure != null) {
      s.field("error", error(new JsonWriter(), outcome.failure, true));
    }
    return new JsonWriter().field("summary", s).end();
  }

  /**
   * The {@code -b} line, last of all: {@code {"cookies":[{"name","domain","path","secure",
   * "http_only"}]}} for each cookie stored, without values (like the events, which never hold
   * header values).
   */
  static String cookies(List<HttpCookie> cookies) {
    List<JsonWriter> list = new ArrayList<>();
    for (HttpCookie cookie : cookies) {
      list.add(new JsonWriter().field("name", cookie.getName()).field("domain", cookie.getDomain())
          .field("path", cookie.getPath()).field("secure", cookie.getSecure())
          .field("http_only", cookie.isHttpOnly()));
    }
    return new JsonWriter().objects("cookies", list).end();
  }

  /** {@code "error":"CANNOT_CONNECT","code":12029} (event) or {@code "name":...,"message":...}. */
  private static JsonWriter error(JsonWriter w, Throwable failure, boolean summary) {
    String key = summary ? "name" : "error";
    if (failure instanceof HttpException e) {
      w.field(key, e.code().name()).field("code", e.code().value());
    } else {
      w.field(key, failure.getClass().getSimpleName());
    }
    if (summary) {
      w.field("message", String.valueOf(failure.getMessage()));
    }
    return w;
  }

  private static void address(JsonWriter p, InetSocketAddress address) {
    String host = address.getAddress() != null ? address.getAddress().getHostAddress()
        : address.getHostString();
    p.field("address", host).field("port", address.getPort());
  }

  private static String withoutQuery(String path) {
    int query = path.indexOf('?');
    return query < 0 ? path : path.substring(0, query);
  }

  private static String lower(String name) {
    return name.toLowerCase(Locale.ROOT);
  }
}
