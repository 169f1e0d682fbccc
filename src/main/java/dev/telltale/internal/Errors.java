package dev.telltale.internal;

import dev.telltale.ErrorCode;
import dev.telltale.HttpException;
import dev.telltale.ResponseHeaders;
import dev.telltale.internal.http1.ProtocolViolation;
import dev.telltale.internal.http1.ResponseHead;
import java.util.ArrayList;
import java.util.List;

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

  /** The parsed head as the public, immutable {@link ResponseHeaders}. */
  static ResponseHeaders toPublic(ResponseHead head) {
    List<String> fields = new ArrayList<>(head.fieldCount() * 2);
    for (int i = 0; i < head.fieldCount(); i++) {
      fields.add(head.fieldName(i));
      fields.add(head.fieldValue(i));
    }
    return ResponseHeaders.of(head.version(), head.statusCode(), head.reasonPhrase(), fields, head.raw());
  }
}
