package com.securecom.client.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

/**
 * A failed certificate check is told apart from an unreachable server, and says how to trust a
 * private one.
 */
class UntrustedCertificateExceptionTest {
  private static SSLHandshakeException handshakeFailure(Throwable cause) {
    SSLHandshakeException e = new SSLHandshakeException("PKIX path building failed");
    e.initCause(cause);
    return e;
  }

  @Test
  void aCertificateProblemAnywhereInTheCauses_isUntrusted_andNamesTheProblemAndTheTruststore() {
    ServerUnreachableException e =
        UntrustedCertificateException.orUnreachable(
            "https://chat.example.org/",
            new IOException(
                "handshake",
                handshakeFailure(new CertPathValidatorException("no trusted issuer"))));

    assertThat(e).isInstanceOf(UntrustedCertificateException.class);
    assertThat(e.getMessage())
        .startsWith(
            "the TLS certificate of https://chat.example.org/ is not trusted"
                + " (no trusted issuer)")
        .contains("SECURECOM_TRUSTSTORE");
  }

  @Test
  void anExpiredCertificate_isUntrusted() {
    assertThat(
            UntrustedCertificateException.orUnreachable(
                "https://chat.example.org/",
                handshakeFailure(new CertificateExpiredException("expired"))))
        .isInstanceOf(UntrustedCertificateException.class);
  }

  @Test
  void anyOtherFailure_isUnreachable() {
    ServerUnreachableException e =
        UntrustedCertificateException.orUnreachable(
            "https://chat.example.org/", new ConnectException("Connection refused"));

    assertThat(e).isNotInstanceOf(UntrustedCertificateException.class);
    assertThat(e.getMessage()).isEqualTo("cannot reach the server at https://chat.example.org/");
  }
}
