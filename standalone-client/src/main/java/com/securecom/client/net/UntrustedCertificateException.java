package com.securecom.client.net;

import java.security.GeneralSecurityException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;

/**
 * The server's TLS certificate did not pass the JDK's checks (no trusted issuer, expired, or not
 * for this host name): nothing was sent. An operator with a private certificate gives it to
 * clients, who put it in a truststore ({@code SECURECOM_TRUSTSTORE}, see README "TLS"). A kind of
 * {@link ServerUnreachableException}, since the server was not talked to.
 */
public class UntrustedCertificateException extends ServerUnreachableException {
  private static final long serialVersionUID = 1L;

  private UntrustedCertificateException(String server, Throwable cause) {
    super(server, cause);
  }

  @Override
  public String getMessage() {
    Throwable reason = certificateProblem(getCause());
    return "the TLS certificate of "
        + serverText()
        + " is not trusted ("
        + (reason == null ? getCause() : reason).getMessage()
        + "); if the operator gave you its certificate, import it into a truststore and set"
        + " SECURECOM_TRUSTSTORE to that file";
  }

  private String serverText() {
    return super.getMessage().replaceFirst("^cannot reach the server at ", "");
  }

  /**
   * An {@link UntrustedCertificateException} if {@code failure} was a certificate check, else
   * unreachable.
   */
  static ServerUnreachableException orUnreachable(String server, Throwable failure) {
    return certificateProblem(failure) != null
        ? new UntrustedCertificateException(server, failure)
        : new ServerUnreachableException(server, failure);
  }

  /** The certificate check in {@code failure}'s causes, or null. */
  static Throwable certificateProblem(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof CertificateException
          || t instanceof CertPathValidatorException
          || (t instanceof GeneralSecurityException
              && t.getClass().getName().contains("CertPath"))) {
        return t;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return null;
  }
}
