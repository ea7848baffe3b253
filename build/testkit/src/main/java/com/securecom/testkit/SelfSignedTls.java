package com.securecom.testkit;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.Key;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A server certificate as the README's TLS recipe makes it: a key pair and a self-signed
 * certificate with keytool (for {@code name}, localhost and 127.0.0.1) in a PKCS#12 keystore that
 * Payara Micro is given with {@code -Djavax.net.ssl.keyStore}, and a truststore of that certificate
 * only, as an operator would hand it to clients. Both use the password {@value #PASSWORD}. For a
 * server outside Java (nginx), the certificate and its private key are also there as PEM files.
 */
public final class SelfSignedTls {
  public static final String PASSWORD = "keystore-password";
  static final String ALIAS = "securecom";

  private final Path keystore;
  private final Path certificate;
  private final Path truststore;

  private SelfSignedTls(Path keystore, Path certificate, Path truststore) {
    this.keystore = keystore;
    this.certificate = certificate;
    this.truststore = truststore;
  }

  /**
   * Makes {@code keystore.p12}, {@code securecom.pem} and {@code truststore.p12} in {@code dir}.
   */
  public static SelfSignedTls create(Path dir, String name) throws Exception {
    Files.createDirectories(dir);
    Path keystore = dir.resolve("keystore.p12");
    Path certificate = dir.resolve("securecom.pem");
    Path truststore = dir.resolve("truststore.p12");
    keytool(
        "-genkeypair",
        "-alias",
        ALIAS,
        "-keyalg",
        "EC",
        "-groupname",
        "secp256r1",
        "-validity",
        "30",
        "-dname",
        "CN=" + name,
        "-ext",
        "SAN=dns:" + name + ",dns:localhost,ip:127.0.0.1",
        "-keystore",
        keystore.toString(),
        "-storetype",
        "PKCS12",
        "-storepass",
        PASSWORD);
    keytool(
        "-exportcert",
        "-rfc",
        "-alias",
        ALIAS,
        "-keystore",
        keystore.toString(),
        "-storepass",
        PASSWORD,
        "-file",
        certificate.toString());
    keytool(
        "-importcert",
        "-noprompt",
        "-alias",
        ALIAS,
        "-file",
        certificate.toString(),
        "-keystore",
        truststore.toString(),
        "-storetype",
        "PKCS12",
        "-storepass",
        PASSWORD);
    return new SelfSignedTls(keystore, certificate, truststore);
  }

  /** The certificate, PEM ({@code securecom.pem}): nginx's {@code ssl_certificate}. */
  public Path certificate() {
    return certificate;
  }

  /**
   * Writes the certificate's private key as unencrypted PKCS#8 PEM to {@code key.pem} beside the
   * keystore, readable by its owner only, and returns it: nginx's {@code ssl_certificate_key}.
   */
  public Path privateKeyPem() throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keystore)) {
      store.load(in, PASSWORD.toCharArray());
    }
    Key key = store.getKey(ALIAS, PASSWORD.toCharArray());
    String pem =
        "-----BEGIN PRIVATE KEY-----\n"
            + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(key.getEncoded())
            + "\n-----END PRIVATE KEY-----\n";
    Path file = keystore.resolveSibling("key.pem");
    Files.deleteIfExists(file);
    Files.createFile(
        file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(file, pem, StandardCharsets.US_ASCII);
    return file;
  }

  /** A PKCS#12 truststore with the server's certificate only. */
  public Path truststore() {
    return truststore;
  }

  /** The server JVM's options for its keystore. */
  List<String> serverProperties() {
    return List.of(
        "-Djavax.net.ssl.keyStore=" + keystore, "-Djavax.net.ssl.keyStorePassword=" + PASSWORD);
  }

  private static void keytool(String... args) throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
    command.addAll(List.of(args));
    Process keytool = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!keytool.waitFor(60, TimeUnit.SECONDS) || keytool.exitValue() != 0) {
      throw new IllegalStateException("keytool " + String.join(" ", args) + " failed:\n" + out);
    }
  }
}
