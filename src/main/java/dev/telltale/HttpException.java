package dev.telltale;

import java.io.IOException;
import java.util.Objects;

/**
 * An asynchronous operation failed: the Java form of a {@code
 * WINHTTP_CALLBACK_STATUS_REQUEST_ERROR} notification's {@code WINHTTP_ASYNC_RESULT.dwError}.
 *
 * <p>The same exception is the payload of {@link StatusEvent.RequestError} and the cause with which
 * the operation's future fails (unwrap the {@code CompletionException} / {@code
 * ExecutionException}). {@link #code()} names the failure; {@link #getCause()} keeps the underlying
 * exception where there is one (for example an {@code SSLHandshakeException} for {@link
 * ErrorCode#SECURE_FAILURE}).
 */
public class HttpException extends IOException {
  private static final long serialVersionUID = 1L;

  /** The error code; never null. */
  private final ErrorCode code;

  /**
   * Creates an exception with a code and a message.
   *
   * @param code the WinHTTP error, not null
   * @param message what failed, the constraint and the value; never a header value
   */
  public HttpException(ErrorCode code, String message) {
    super(message);
    this.code = Objects.requireNonNull(code, "code");
  }

  /**
   * Creates an exception with a code, a message and the underlying cause.
   *
   * @param code the WinHTTP error, not null
   * @param message what failed, the constraint and the value; never a header value
   * @param cause the underlying exception, or null
   */
  public HttpException(ErrorCode code, String message, Throwable cause) {
    super(message, cause);
    this.code = Objects.requireNonNull(code, "code");
  }

  /**
   * Returns the WinHTTP error this failure corresponds to ({@code ERROR_WINHTTP_*}).
   *
   * @return the code, never null
   */
  public ErrorCode code() {
    return code;
  }

  /**
   * Returns the class name, the code's name and number, and the message, e.g. {@code
   * dev.telltale.HttpException: CANNOT_CONNECT (12029): connection refused: 127.0.0.1:1}.
   */
  @Override
  public String toString() {
    return code.describe(getClass(), getLocalizedMessage());
  }
}
