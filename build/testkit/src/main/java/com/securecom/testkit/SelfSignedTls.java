package com.securecom.testkit;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A server certificate as the README's TLS recipe makes it: a key pair and a self-signed
 * certificate with keytool (for {@code name}, localhost and 127.0.0.1) in a PKCS#12 keystore that
 * Payara Micro is given with {@code -Djavax.net.ssl.keyStore}, and a truststore of that certificate
 * only, as an operator would hand it to clients. Both use the password {@value #PASSWORD}.
 */
public final class SelfSignedTls {
  public static final String PASSWORD = "keystore-password";
  static final String ALIAS = "securecom";

  private final Path keystore;
  private final Path truststore;

  private SelfSignedTls(Path keystore, Path truststore) {
    this.keystore = keystore;
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
    return new SelfSignedTls(keystore, truststore);
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
