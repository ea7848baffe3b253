package com.securecom.server.channel;

import com.securecom.protocol.channel.ServerHandshake;
import com.securecom.protocol.crypto.Bytes;
import com.securecom.protocol.crypto.Ed25519;
import com.securecom.protocol.crypto.Fingerprint;
import com.securecom.protocol.crypto.Hkdf;
import com.securecom.server.config.DataDirectory;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Optional;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The server's Ed25519 identity key. Generated on first start and written (mode 0600, complete
 * before it appears) to {@code securecom.server-key.file} (default {@code server-identity.key} in
 * the data directory, which is then kept private); read back on every later start, so clients that
 * pinned it keep trusting the server. Several cluster nodes share one identity by pointing at one
 * file. The private key never leaves this class except into the handshake (and, one-way, into the
 * cluster's handover key).
 */
@ApplicationScoped
public class ServerIdentity {
  private static final Logger LOG = Logger.getLogger(ServerIdentity.class.getName());

  /** The key file's name in the data directory, unless {@code securecom.server-key.file} is set. */
  public static final String DEFAULT_FILE_NAME = "server-identity.key";

  private Path keyFile;
  private DataDirectory dataDirectory;
  private SecureRandom random;
  private Ed25519.KeyPair keyPair;

  protected ServerIdentity() {}

  @Inject
  public ServerIdentity(
      DataDirectory dataDirectory,
      @ConfigProperty(name = "securecom.server-key.file") Optional<String> keyFile,
      SecureRandom random) {
    this.dataDirectory = dataDirectory;
    this.keyFile = keyFile.map(Path::of).orElseGet(() -> dataDirectory.resolve(DEFAULT_FILE_NAME));
    this.random = random;
  }

  @PostConstruct
  void load() {
    if (keyFile.toAbsolutePath().normalize().startsWith(dataDirectory.path())) {
      dataDirectory.secure();
    }
    keyPair = loadOrCreate(keyFile, random);
    LOG.info(
        () ->
            "Server identity key (Ed25519): "
                + Bytes.base64(keyPair.publicKey())
                + " fingerprint: "
                + fingerprint()
                + ". Publish it so that clients can check what they pin. Back up "
                + keyFile.toAbsolutePath()
                + ": clients refuse a server with another key.");
  }

  static Ed25519.KeyPair loadOrCreate(Path file, SecureRandom random) {
    try {
      if (!Files.exists(file)) {
        create(file, random);
      }
      byte[] seed = Bytes.fromBase64(Files.readString(file, StandardCharsets.US_ASCII).trim());
      if (seed.length != Ed25519.KEY_BYTES) {
        throw new IllegalStateException(
            "server key file " + file + " does not hold a 32-byte Ed25519 key");
      }
      return new Ed25519.KeyPair(seed, Ed25519.publicKey(seed));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or create the server key file " + file, e);
    }
  }

  private static void create(Path file, SecureRandom random) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path temp = Files.createTempFile(dir, ".server-identity", ".tmp");
    try {
      try {
        Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException notPosix) {
        // best effort on file systems without POSIX permissions
      }
      Files.writeString(
          temp,
          Bytes.base64(Ed25519.generate(random).privateKey()) + "\n",
          StandardCharsets.US_ASCII);
      try {
        // A hard link appears atomically and never replaces: if two nodes race on first start, one
        // key wins.
        Files.createLink(file, temp);
      } catch (FileAlreadyExistsException anotherNodeWon) {
        // use the key the other process wrote
      }
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  public byte[] publicKey() {
    return keyPair.publicKey().clone();
  }

  public String fingerprint() {
    return Fingerprint.of(keyPair.publicKey());
  }

  /**
   * The 32-byte key that authenticates handovers between the nodes of a cluster: HKDF-SHA256 of the
   * private key with the label {@code SecureCom cluster handover key v1}, so every node sharing the
   * key file derives the same key, and the key reveals nothing about the private key it came from.
   */
  public byte[] clusterHandoverKey() {
    return Hkdf.sha256(
        keyPair.privateKey(),
        new byte[0],
        "SecureCom cluster handover key v1".getBytes(StandardCharsets.US_ASCII),
        32);
  }

  /** A handshake signer for one new connection. */
  public ServerHandshake handshake() {
    return new ServerHandshake(keyPair, random);
  }
}
