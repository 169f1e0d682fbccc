package dev.telltale.tls;

import static dev.telltale.testkit.AsyncAssertions.await;
import static dev.telltale.testkit.AsyncAssertions.awaitFailure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.telltale.ErrorCode;
import dev.telltale.HttpException;
import dev.telltale.Option;
import dev.telltale.Request;
import dev.telltale.SecurityFlag;
import dev.telltale.testkit.LeakCheck;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Stream;
import javax.net.ssl.SSLException;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import okhttp3.tls.HandshakeCertificates;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Option.SECURITY_FLAGS: each ignore flag relaxes exactly its own problem and nothing else, on the
 * request or inherited from the session.
 */
@ExtendWith(LeakCheck.class)
class SecurityFlagsTest {
  private TlsFixture fx;

  @AfterEach
  void closeEverything() throws Exception {
    if (fx != null) {
      fx.close();
    }
  }

  /** A problem certificate, the flag that ignores it and the failure flag it is reported with. */
  enum Problem {
    UNKNOWN_CA(SecurityFlag.IGNORE_UNKNOWN_CA, "INVALID_CA"),
    WRONG_HOST(SecurityFlag.IGNORE_CERT_CN_INVALID, "CERT_CN_INVALID"),
    EXPIRED(SecurityFlag.IGNORE_CERT_DATE_INVALID, "CERT_DATE_INVALID"),
    NOT_YET_VALID(SecurityFlag.IGNORE_CERT_DATE_INVALID, "CERT_DATE_INVALID"),
    WRONG_USAGE(SecurityFlag.IGNORE_CERT_WRONG_USAGE, "CERT_WRONG_USAGE");

    final SecurityFlag ignoredBy;
    final String reportedAs;

    Problem(SecurityFlag ignoredBy, String reportedAs) {
      this.ignoredBy = ignoredBy;
      this.reportedAs = reportedAs;
    }

    /** What the server presents. */
    HandshakeCertificates server() throws Exception {
      return switch (this) {
        case UNKNOWN_CA -> Certificates.server(Certificates.LOCALHOST_UNKNOWN_CA,
            Certificates.UNTRUSTED_ROOT);
        case WRONG_HOST -> Certificates.server(Certificates.OTHER_HOST, Certificates.ROOT);
        case EXPIRED -> Certificates.server(Certificates.EXPIRED, Certificates.ROOT);
        case NOT_YET_VALID -> Certificates.server(Certificates.NOT_YET_VALID, Certificates.ROOT);
        case WRONG_USAGE -> Certificates.wrongUsage().server();
      };
    }

    /** A fixture whose session trusts the issuer that matters (all but UNKNOWN_CA's). */
    TlsFixture fixture() throws Exception {
      return this == WRONG_USAGE
          ? new TlsFixture(TlsFixture.builder(Certificates.wrongUsage().clientTrust()))
          : new TlsFixture();
    }
  }

  /** Sends a GET to localhost over https with {@code flags}; returns the request. */
  private Request send(MockWebServer server, Set<SecurityFlag> flags) {
    Request request = fx.secure(fx.connect(server.getPort()), "GET", "/");
    request.setOption(Option.SECURITY_FLAGS, flags);
    return request;
  }

  private void assertSucceeds(Request request, MockWebServer server) {
    server.enqueue(new MockResponse.Builder().body("accepted").build());
    await(request.sendRequest());
    assertEquals(200, await(request.receiveResponse()).statusCode());
    assertEquals("accepted", TlsFixture.readAll(request));
    fx.closeAllAndAwait();
    fx.rec.assertNext("""
        session HANDLE_CREATED connect
        request HANDLE_CREATED request
        """ + TlsFixture.freshExchange("request") + """
        request READ_COMPLETE 8
        request READ_COMPLETE 0
        request HANDLE_CLOSING
        connect HANDLE_CLOSING
        session HANDLE_CLOSING
        """);
    assertEquals(1, fx.accepted(server));
  }

  private void assertFails(Request request, MockWebServer server, String flags) {
    HttpException error = awaitFailure(request.sendRequest(), ErrorCode.SECURE_FAILURE);
    assertInstanceOf(SSLException.class, error.getCause(), error::toString);
    fx.closeAllAndAwait();
    fx.rec.assertNext("""
        session HANDLE_CREATED connect
        request HANDLE_CREATED request
        """ + TlsFixture.fresh("request", "localhost") + """
        request SECURE_FAILURE %s
        request REQUEST_ERROR SEND_REQUEST SECURE_FAILURE
        request HANDLE_CLOSING
        connect HANDLE_CLOSING
        session HANDLE_CLOSING
        """.formatted(flags));
    assertEquals(1, fx.accepted(server), "one handshake attempt: no retry");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("problems")
  void eachIgnoreFlagAloneAcceptsTheCertificateWithItsOwnProblem(Problem problem)
      throws Exception {
    fx = problem.fixture();
    MockWebServer server = fx.https(problem.server());
    Request request = send(server, Set.of(problem.ignoredBy));
    assertSucceeds(request, server);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("problems")
  void everyOtherIgnoreFlagTogetherStillRejectsTheCertificateWithItsOwnProblem(Problem problem)
      throws Exception {
    fx = problem.fixture();
    MockWebServer server = fx.https(problem.server());
    EnumSet<SecurityFlag> others = EnumSet.allOf(SecurityFlag.class);
    others.remove(problem.ignoredBy);
    Request request = send(server, others);
    assertFails(request, server, problem.reportedAs);
  }

  static Stream<Arguments> problems() {
    return Stream.of(Problem.values()).map(Arguments::of);
  }

  @Test
  void ignoringOnlyTheUnknownCaStillRejectsAWrongHostNameWithCertCnInvalid() throws Exception {
    fx = new TlsFixture();
    MockWebServer server = fx.https(Certificates.server(Certificates.OTHER_HOST_UNKNOWN_CA,
        Certificates.UNTRUSTED_ROOT));
    assertFails(send(server, Set.of(SecurityFlag.IGNORE_UNKNOWN_CA)), server, "CERT_CN_INVALID");
  }

  @Test
  void ignoringOnlyTheWrongHostNameStillRejectsAnUnknownCaWithInvalidCa() throws Exception {
    fx = new TlsFixture();
    MockWebServer server = fx.https(Certificates.server(Certificates.OTHER_HOST_UNKNOWN_CA,
        Certificates.UNTRUSTED_ROOT));
    assertFails(send(server, Set.of(SecurityFlag.IGNORE_CERT_CN_INVALID)), server, "INVALID_CA");
  }

  @Test
  void ignoringBothTheUnknownCaAndTheWrongHostNameAcceptsACertificateWithBothProblems()
      throws Exception {
    fx = new TlsFixture();
    MockWebServer server = fx.https(Certificates.server(Certificates.OTHER_HOST_UNKNOWN_CA,
        Certificates.UNTRUSTED_ROOT));
    assertSucceeds(send(server,
        Set.of(SecurityFlag.IGNORE_UNKNOWN_CA, SecurityFlag.IGNORE_CERT_CN_INVALID)), server);
  }

  @Test
  void ignoringOnlyTheDateStillRejectsAnExpiredCertificateForAnotherHost() throws Exception {
    fx = new TlsFixture();
    MockWebServer server =
        fx.https(Certificates.server(Certificates.EXPIRED_OTHER_HOST, Certificates.ROOT));
    assertFails(send(server, Set.of(SecurityFlag.IGNORE_CERT_DATE_INVALID)), server,
        "CERT_CN_INVALID");
  }

  @Test
  void ignoringTheDateAndTheHostNameAcceptsAnExpiredCertificateForAnotherHost()
      throws Exception {
    fx = new TlsFixture();
    MockWebServer server =
        fx.https(Certificates.server(Certificates.EXPIRED_OTHER_HOST, Certificates.ROOT));
    assertSucceeds(send(server,
        Set.of(SecurityFlag.IGNORE_CERT_DATE_INVALID, SecurityFlag.IGNORE_CERT_CN_INVALID)),
        server);
  }

  @Test
  void allIgnoreFlagsTogetherAcceptASelfSignedCertificateForAnotherHost() throws Exception {
    fx = new TlsFixture();
    okhttp3.tls.HeldCertificate selfSigned = new okhttp3.tls.HeldCertificate.Builder()
        .commonName("other.test").addSubjectAlternativeName("other.test").build();
    MockWebServer server =
        fx.https(new HandshakeCertificates.Builder().heldCertificate(selfSigned).build());
    assertSucceeds(send(server, EnumSet.allOf(SecurityFlag.class)), server);
  }

  @Test
  void ignoreFlagsSetOnTheSessionAreInheritedByItsRequests() throws Exception {
    fx = new TlsFixture();
    fx.session.setOption(Option.SECURITY_FLAGS, Set.of(SecurityFlag.IGNORE_UNKNOWN_CA));
    MockWebServer server = fx.https(Certificates.server(Certificates.LOCALHOST_UNKNOWN_CA,
        Certificates.UNTRUSTED_ROOT));
    Request request = fx.secure(fx.connect(server.getPort()), "GET", "/");
    assertEquals(Set.of(SecurityFlag.IGNORE_UNKNOWN_CA), request.queryOption(Option.SECURITY_FLAGS));
    assertSucceeds(request, server);
  }

  @Test
  void aRequestThatClearsTheSessionsIgnoreFlagsIsCheckedStrictly() throws Exception {
    fx = new TlsFixture();
    fx.session.setOption(Option.SECURITY_FLAGS, Set.of(SecurityFlag.IGNORE_UNKNOWN_CA));
    MockWebServer server = fx.https(Certificates.server(Certificates.LOCALHOST_UNKNOWN_CA,
        Certificates.UNTRUSTED_ROOT));
    assertFails(send(server, Set.of()), server, "INVALID_CA");
  }

  @Test
  void ignoreFlagsDoNotRelaxAProtocolMismatch() throws Exception {
    fx = new TlsFixture();
    fx.session.setOption(Option.SECURE_PROTOCOLS, Set.of("TLSv1.3"));
    MockWebServer server = fx.https(
        Certificates.limitedTo(Certificates.goodServer().sslSocketFactory(), "TLSv1.2"));
    assertFails(send(server, EnumSet.allOf(SecurityFlag.class)), server,
        "SECURITY_CHANNEL_ERROR");
  }

  @Test
  void theSecurityFlagsOptionDefaultsToNone() {
    fx = new TlsFixture();
    assertEquals(Set.of(), fx.session.queryOption(Option.SECURITY_FLAGS));
  }
}
