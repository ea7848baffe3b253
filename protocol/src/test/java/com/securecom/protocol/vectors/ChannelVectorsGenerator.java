package com.securecom.protocol.vectors;

import static com.securecom.protocol.vectors.VectorFiles.hex;
import static com.securecom.protocol.vectors.VectorFiles.unhex;

import com.securecom.protocol.channel.ChannelException;
import com.securecom.protocol.channel.ClientHandshake;
import com.securecom.protocol.channel.SecureChannel;
import com.securecom.protocol.channel.ServerHandshake;
import com.securecom.protocol.crypto.Bytes;
import com.securecom.protocol.crypto.DecryptionFailedException;
import com.securecom.protocol.crypto.Ed25519;
import com.securecom.protocol.crypto.Hkdf;
import com.securecom.protocol.crypto.X25519;
import com.securecom.protocol.crypto.internal.InsecureNonceAesGcm;
import com.securecom.protocol.wire.WireCodec;
import com.securecom.protocol.wire.WireMessage;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;

/**
 * Writes {@code vectors/channel.json}: one complete channel, from fixed private keys to the first
 * three frames in each direction.
 *
 * <p>Every value is computed twice: once straight from the layout in docs/protocol.md with the
 * crypto primitives only, and once through {@link ClientHandshake}, {@link ServerHandshake} and
 * {@link SecureChannel}. The generator refuses to write if the two disagree, so the file states the
 * documented protocol, not merely what the code does.
 *
 * <p>The private keys are the published ones of RFC 8032 section 7.1 (TEST 1) and RFC 7748 section
 * 6.1 (Alice, Bob), so an implementer can check the primitives against the RFCs first. Run from the
 * repository root:
 *
 * <pre>java -cp ... com.securecom.protocol.vectors.ChannelVectorsGenerator [output directory]</pre>
 */
public final class ChannelVectorsGenerator {
  /** RFC 8032 section 7.1, TEST 1 secret key: the server's Ed25519 identity seed. */
  public static final String SERVER_IDENTITY_SEED =
      "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";

  /** RFC 7748 section 6.1, Alice's private key: the client's ephemeral X25519 key. */
  public static final String CLIENT_EPHEMERAL_PRIVATE =
      "77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a";

  /** RFC 7748 section 6.1, Bob's private key: the server's ephemeral X25519 key. */
  public static final String SERVER_EPHEMERAL_PRIVATE =
      "5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb";

  static final String LABEL = "SecureCom channel v1";
  static final byte VERSION = 0x01;
  static final String CLIENT_TO_SERVER_INFO = "SecureCom channel v1 client->server";
  static final String SERVER_TO_CLIENT_INFO = "SecureCom channel v1 server->client";

  private static final WireCodec CODEC = new WireCodec();
  private static final String ENVELOPE =
      Bytes.base64(
          "opaque end-to-end ciphertext: the relay never sees inside"
              .getBytes(StandardCharsets.US_ASCII));

  /** One frame of the recorded conversation, in the order it is sent. */
  private record Step(boolean fromClient, WireMessage message) {}

  /**
   * A plausible first conversation: authenticate, send one message, receive one and acknowledge it.
   */
  private static final List<Step> CONVERSATION =
      List.of(
          new Step(true, new WireMessage.Auth("vectors-only-bearer-token-0123456789abcdef")),
          new Step(false, new WireMessage.Ready("alice")),
          new Step(
              true, new WireMessage.Send("0b7f5b2c-8a7e-4b39-9a55-3f1c2d4e6a01", "bob", ENVELOPE)),
          new Step(false, new WireMessage.Accepted("0b7f5b2c-8a7e-4b39-9a55-3f1c2d4e6a01")),
          new Step(
              false,
              new WireMessage.Deliver(
                  "5d2e9c1a-3b4f-4e6d-8c7b-a9f0e1d2c3b4", "bob", ENVELOPE, "2025-01-01T12:00:00Z")),
          new Step(true, new WireMessage.Ack("5d2e9c1a-3b4f-4e6d-8c7b-a9f0e1d2c3b4", "bob")));

  private ChannelVectorsGenerator() {}

  public static void main(String[] args) throws Exception {
    Path directory = args.length > 0 ? Path.of(args[0]) : VectorFiles.DEFAULT_DIRECTORY;
    Path file = directory.resolve("channel.json");
    VectorFiles.write(file, build());
    System.out.println("wrote " + file.toAbsolutePath());
  }

  /** The content of channel.json. */
  public static JsonObject build() throws ChannelException, DecryptionFailedException {
    byte[] identitySeed = unhex(SERVER_IDENTITY_SEED);
    byte[] identityPublic = Ed25519.publicKey(identitySeed);
    byte[] clientPrivate = unhex(CLIENT_EPHEMERAL_PRIVATE);
    byte[] clientPublic = X25519.publicKey(clientPrivate);
    byte[] serverPrivate = unhex(SERVER_EPHEMERAL_PRIVATE);
    byte[] serverPublic = X25519.publicKey(serverPrivate);

    // From the document, with primitives only.
    byte[] clientHello = Bytes.concat(new byte[] {VERSION}, clientPublic);
    byte[] transcript =
        Bytes.concat(
            Bytes.ascii(LABEL), new byte[] {VERSION}, clientPublic, serverPublic, identityPublic);
    byte[] signature = Ed25519.sign(identitySeed, transcript);
    byte[] serverHello = Bytes.concat(new byte[] {VERSION}, serverPublic, signature);
    byte[] sharedSecret = X25519.agree(clientPrivate, serverPublic);
    same("shared secret (server side)", sharedSecret, X25519.agree(serverPrivate, clientPublic));
    byte[] salt = Bytes.sha256(transcript);
    byte[] c2sKey = Hkdf.sha256(sharedSecret, salt, Bytes.ascii(CLIENT_TO_SERVER_INFO), 32);
    byte[] s2cKey = Hkdf.sha256(sharedSecret, salt, Bytes.ascii(SERVER_TO_CLIENT_INFO), 32);

    // Through the implementation.
    ClientHandshake client =
        new ClientHandshake(identityPublic, new X25519.KeyPair(clientPrivate, clientPublic));
    same("clientHello", clientHello, client.hello());
    ServerHandshake.Result server =
        new ServerHandshake(new Ed25519.KeyPair(identitySeed, identityPublic), new SecureRandom())
            .respond(client.hello(), new X25519.KeyPair(serverPrivate, serverPublic));
    same("serverHello", serverHello, server.serverHello());
    SecureChannel clientChannel = client.finish(server.serverHello());
    SecureChannel serverChannel = server.channel();

    JsonArrayBuilder frames = Json.createArrayBuilder();
    long clientCounter = 0;
    long serverCounter = 0;
    for (Step step : CONVERSATION) {
      byte[] plaintext = CODEC.encode(step.message());
      byte directionByte = step.fromClient() ? (byte) 0x01 : (byte) 0x02;
      long counter = step.fromClient() ? clientCounter++ : serverCounter++;
      byte[] nonce =
          ByteBuffer.allocate(12).put(directionByte).put(new byte[3]).putLong(counter).array();
      byte[] associatedData = ByteBuffer.allocate(9).put(directionByte).putLong(counter).array();
      byte[] frame =
          Bytes.concat(
              ByteBuffer.allocate(8).putLong(counter).array(),
              new InsecureNonceAesGcm(step.fromClient() ? c2sKey : s2cKey)
                  .seal(nonce, plaintext, associatedData));

      SecureChannel sender = step.fromClient() ? clientChannel : serverChannel;
      SecureChannel receiver = step.fromClient() ? serverChannel : clientChannel;
      same("frame " + counter, frame, sender.seal(plaintext));
      same("opened frame " + counter, plaintext, receiver.open(frame));

      frames.add(
          Json.createObjectBuilder()
              .add("direction", step.fromClient() ? "clientToServer" : "serverToClient")
              .add("directionByte", directionByte)
              .add("counter", counter)
              .add("plaintext", new String(plaintext, StandardCharsets.UTF_8))
              .add("nonce", hex(nonce))
              .add("associatedData", hex(associatedData))
              .add("frame", hex(frame)));
    }

    return Json.createObjectBuilder()
        .add(
            "description",
            "One SecureCom channel v1 session: handshake, key derivation and the first three frames"
                + " in each direction. All byte strings are lowercase hex; plaintexts are UTF-8 text. See"
                + " docs/protocol.md.")
        .add("generator", ChannelVectorsGenerator.class.getName())
        .add("version", VERSION)
        .add("serverIdentity", keyPair(identitySeed, identityPublic, "RFC 8032 section 7.1 TEST 1"))
        .add("clientEphemeral", keyPair(clientPrivate, clientPublic, "RFC 7748 section 6.1 Alice"))
        .add("serverEphemeral", keyPair(serverPrivate, serverPublic, "RFC 7748 section 6.1 Bob"))
        .add("clientHello", hex(clientHello))
        .add("transcript", hex(transcript))
        .add("signature", hex(signature))
        .add("serverHello", hex(serverHello))
        .add("sharedSecret", hex(sharedSecret))
        .add("salt", hex(salt))
        .add("clientToServerInfo", CLIENT_TO_SERVER_INFO)
        .add("clientToServerKey", hex(c2sKey))
        .add("serverToClientInfo", SERVER_TO_CLIENT_INFO)
        .add("serverToClientKey", hex(s2cKey))
        .add("frames", frames)
        .build();
  }

  private static JsonObjectBuilder keyPair(byte[] privateKey, byte[] publicKey, String source) {
    return Json.createObjectBuilder()
        .add("source", source)
        .add("privateKey", hex(privateKey))
        .add("publicKey", hex(publicKey));
  }

  private static void same(String what, byte[] documented, byte[] implemented) {
    if (!Arrays.equals(documented, implemented)) {
      throw new IllegalStateException(
          what
              + " differs between the document and the implementation: "
              + hex(documented)
              + " != "
              + hex(implemented));
    }
  }
}
