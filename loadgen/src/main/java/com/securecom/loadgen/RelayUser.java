package com.securecom.loadgen;

import com.securecom.client.net.ApiException;
import com.securecom.client.net.RelayConnection;
import com.securecom.client.net.ServerApi;
import com.securecom.protocol.channel.ChannelException;
import com.securecom.protocol.crypto.Bytes;
import com.securecom.protocol.crypto.Ed25519;
import com.securecom.protocol.crypto.KeySignatures;
import com.securecom.protocol.crypto.X25519;
import com.securecom.protocol.wire.WireMessage;
import jakarta.json.Json;
import org.glassfish.tyrus.client.ClientManager;
import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicLong;

/** A user of the real relay: registered, logged in, over the encrypted channel, acknowledging what it gets. */
final class RelayUser extends SimulatedUser implements RelayConnection.Listener {
  private static final SecureRandom RANDOM = new SecureRandom();
  private final AtomicLong ids = new AtomicLong();
  private volatile boolean closing;
  private RelayConnection connection;

  RelayUser(String name, int index, int window, Stats stats) {
    super(name, index, window, stats);
  }

  /** Registers (or, if the name is taken from an earlier run, just logs in) and returns a bearer token. */
  String signIn(ServerApi api, String password) {
    Ed25519.KeyPair identity = Ed25519.generate(RANDOM);
    X25519.KeyPair dh = X25519.generate(RANDOM);
    X25519.KeyPair preKey = X25519.generate(RANDOM);
    try {
      api.register(Json.createObjectBuilder()
          .add("username", name)
          .add("password", password)
          .add("identityKey", Bytes.base64(identity.publicKey()))
          .add("identityDhKey", Json.createObjectBuilder()
              .add("publicKey", Bytes.base64(dh.publicKey()))
              .add("signature", Bytes.base64(
                  Ed25519.sign(identity.privateKey(), KeySignatures.identityDhKeyMessage(dh.publicKey())))))
          .add("signedPreKey", Json.createObjectBuilder()
              .add("keyId", 1)
              .add("publicKey", Bytes.base64(preKey.publicKey()))
              .add("signature", Bytes.base64(Ed25519.sign(identity.privateKey(), preKey.publicKey()))))
          .build());
    } catch (ApiException e) {
      if (e.status() != 409) {
        throw e;
      }
    }
    return api.login(name, password).getString("token");
  }

  void connect(ClientManager client, ServerApi api, byte[] serverKey, String token) throws ChannelException {
    connection = RelayConnection.open(client, api.channelUri(), serverKey, token, this);
  }

  @Override
  void send(SimulatedUser to, byte[] payload) {
    connection.send(new WireMessage.Send(name + "-" + ids.incrementAndGet(), to.name, Bytes.base64(payload)));
    stats.sent.increment();
  }

  @Override
  public void onMessage(WireMessage message) {
    if (message instanceof WireMessage.Deliver deliver) {
      received(Bytes.fromBase64(deliver.envelope()), 0);
      connection.send(new WireMessage.Ack(deliver.id(), deliver.from()));
    } else if (message instanceof WireMessage.Accepted) {
      stats.accepted.increment();
    } else if (message instanceof WireMessage.Error error) {
      stats.error(error.code());
      window.release();
    } else if (message instanceof WireMessage.Delivered delivered) {
      connection.send(new WireMessage.ReceiptAck(delivered.id()));
    }
  }

  @Override
  public void onClose(int code, String reason) {
    if (!closing) {
      stats.error("closed-" + code);
    }
  }

  @Override
  public void close() {
    closing = true;
    if (connection != null) {
      connection.close();
    }
  }
}
