package com.securecom.protocol.vectors;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The published vector files are what their generators produce, so nobody edits one by hand or
 * changes the protocol without regenerating (and noticing that every other implementation breaks).
 */
class VectorFilesUpToDateTest {
  @Test
  void channelJson_isWhatTheGeneratorWrites() throws Exception {
    assertThat(VectorFiles.load("/vectors/channel.json"))
        .isEqualTo(ChannelVectorsGenerator.build());
  }

  @Test
  void wireJson_isWhatTheGeneratorWrites() throws Exception {
    assertThat(VectorFiles.load("/vectors/wire.json")).isEqualTo(WireVectorsGenerator.build());
  }

  @Test
  void usernamesJson_isWhatTheGeneratorWrites() {
    assertThat(VectorFiles.load("/vectors/usernames.json"))
        .isEqualTo(UsernameVectorsGenerator.build());
  }

  @Test
  void devicesJson_isWhatTheGeneratorWrites() throws Exception {
    assertThat(VectorFiles.load("/vectors/devices.json")).isEqualTo(DeviceVectorsGenerator.build());
  }

  @Test
  void fanoutJson_isWhatTheGeneratorWrites() {
    assertThat(VectorFiles.load("/vectors/fanout.json")).isEqualTo(FanoutVectorsGenerator.build());
  }

  @Test
  void linkJson_isWhatTheGeneratorWrites() throws Exception {
    assertThat(VectorFiles.load("/vectors/link.json")).isEqualTo(LinkVectorsGenerator.build());
  }

  @Test
  void groupsJson_isWhatTheGeneratorWrites() throws Exception {
    assertThat(VectorFiles.load("/vectors/groups.json")).isEqualTo(GroupVectorsGenerator.build());
  }
}
