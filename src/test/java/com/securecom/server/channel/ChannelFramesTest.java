package com.securecom.server.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.securecom.protocol.channel.ChannelException;
import com.securecom.protocol.channel.ClientHandshake;
import com.securecom.protocol.channel.CloseCodes;
import com.securecom.protocol.channel.SecureChannel;
import com.securecom.protocol.channel.ServerHandshake;
import com.securecom.protocol.crypto.Ed25519;
import com.securecom.protocol.wire.WireCodec;
import com.securecom.protocol.wire.WireMessage;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A connection's framing over a real channel, both ways, and what a bad frame ends it with. */
class ChannelFramesTest {
  private static final WireCodec CODEC = new WireCodec();
  private SecureChannel client;
  private ChannelFrames server;

  @BeforeEach
  void handshake() throws ChannelException {
    SecureRandom random = new SecureRandom();
    Ed25519.KeyPair identity = Ed25519.generate(random);
    ClientHandshake hello = new ClientHandshake(identity.publicKey(), random);
    ServerHandshake.Result result = new ServerHandshake(identity, random).respond(hello.hello());
    client = hello.finish(result.serverHello());
    server = new ChannelFrames(result.channel());
  }

  @Test
  void aClientsFrame_opensAsTheMessageItCarries() throws Exception {
    WireMessage.Send send = new WireMessage.Send("m1", "bob", "AAECAw==");
    assertThat(server.open(client.seal(CODEC.encode(send)))).isEqualTo(send);
    WireMessage.Ack ack = new WireMessage.Ack("m2", "alice");
    assertThat(server.open(client.seal(CODEC.encode(ack)))).isEqualTo(ack);
  }

  @Test
  void aSealedMessage_opensAtTheClientAsTheSameMessage() throws Exception {
    WireMessage.Deliver deliver =
        new WireMessage.Deliver("m1", "alice", "AAECAw==", "2026-01-02T03:04:05.006Z");
    byte[] frame = server.seal(ChannelFrames.encode(deliver));
    assertThat(CODEC.decode(client.open(frame))).isEqualTo(deliver);
  }

  @Test
  void aFrameThatIsNoValidMessage_endsTheConnectionWith1007() {
    byte[] frame =
        client.seal("{\"type\":\"send\",\"id\":\"m1\"}".getBytes(StandardCharsets.UTF_8));
    ChannelException e = catchThrowableOfType(() -> server.open(frame), ChannelException.class);
    assertThat(e.closeCode()).isEqualTo(CloseCodes.MALFORMED);
  }

  @Test
  void aTamperedFrame_endsTheConnectionWith1007() {
    byte[] frame = client.seal(CODEC.encode(new WireMessage.Ping()));
    frame[frame.length - 1] ^= 1;
    ChannelException e = catchThrowableOfType(() -> server.open(frame), ChannelException.class);
    assertThat(e.closeCode()).isEqualTo(CloseCodes.MALFORMED);
  }
}
