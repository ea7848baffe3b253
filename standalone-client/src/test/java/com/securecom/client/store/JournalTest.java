package com.securecom.client.store;

import static com.securecom.client.store.TestProfiles.CHEAP_CEILING;
import static com.securecom.client.store.TestProfiles.MARKER;
import static com.securecom.client.store.TestProfiles.create;
import static com.securecom.client.store.TestProfiles.fileNames;
import static com.securecom.client.store.TestProfiles.open;
import static com.securecom.client.store.TestProfiles.passphrase;
import static com.securecom.client.store.TestProfiles.state;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.securecom.client.store.CrashSafetyTest.SimulatedCrash;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The journal that follows {@code state.bin}: records come back in order, a crash at any step
 * leaves a prefix of them, and tampering never yields a record that was not appended at its place.
 */
class JournalTest {
  @TempDir Path dir;

  private static JsonObject change(int n) {
    return Json.createObjectBuilder().add("n", n).add("secret", MARKER + "-change-" + n).build();
  }

  private Path journal() {
    return dir.resolve("journal.bin");
  }

  /** A profile at state(1) with {@code count} records appended, closed without compaction. */
  private void profileWithRecords(int count) throws Exception {
    try (OpenProfile profile = create(dir, state(1))) {
      for (int i = 0; i < count; i++) {
        assertThat(profile.append(change(i))).isTrue();
      }
    }
  }

  private static List<JsonObject> changes(int count) {
    List<JsonObject> all = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      all.add(change(i));
    }
    return all;
  }

  /** Offsets of the records in a journal file (each at its length field), then the end. */
  private static List<Integer> recordOffsets(byte[] file) {
    List<Integer> offsets = new ArrayList<>();
    int position = JournalFile.HEADER_BYTES;
    while (position < file.length) {
      offsets.add(position);
      position += 4 + ByteBuffer.wrap(file, position, 4).getInt();
    }
    offsets.add(position);
    return offsets;
  }

  @Test
  void appendedRecords_followTheSnapshot_inOrder_andHoldOnlyCiphertext() throws Exception {
    profileWithRecords(3);

    assertThat(fileNames(dir)).contains("journal.bin");
    ProfileStoreTest.assertNoFileContains(dir, MARKER);
    try (OpenProfile profile = open(dir)) {
      assertThat(profile.state()).isEqualTo(state(1));
      assertThat(profile.journal()).isEqualTo(changes(3));
      assertThat(profile.hasJournal()).isTrue();
    }
  }

  @Test
  void aSnapshot_foldsTheJournalIn_andDeletesIt() throws Exception {
    profileWithRecords(2);
    try (OpenProfile profile = open(dir)) {
      profile.write(state(2));
      assertThat(profile.hasJournal()).isFalse();
      assertThat(fileNames(dir)).doesNotContain("journal.bin");
      assertThat(profile.append(change(7))).isTrue();
    }
    try (OpenProfile profile = open(dir)) {
      assertThat(profile.state()).isEqualTo(state(2));
      assertThat(profile.journal()).containsExactly(change(7));
    }
  }

  @Test
  void aReopenedProfile_appendsAfterTheRecordsItRead() throws Exception {
    profileWithRecords(2);
    try (OpenProfile profile = open(dir)) {
      assertThat(profile.append(change(2))).isTrue();
    }
    try (OpenProfile profile = open(dir)) {
      assertThat(profile.journal()).isEqualTo(changes(3));
    }
  }

  @Test
  void crashBetweenAppendAndForce_leavesTheRecordWholeOrDropped_atEveryCut() throws Exception {
    profileWithRecords(1);
    OpenProfile crashing =
        ProfileStore.open(
            dir,
            passphrase(),
            CHEAP_CEILING.withCrashPoint(
                (name, step) -> {
                  if (step == CrashPoint.Step.APPENDED) {
                    throw new SimulatedCrash();
                  }
                }));
    assertThatThrownBy(() -> crashing.append(change(1))).isInstanceOf(SimulatedCrash.class);
    assertThatThrownBy(() -> crashing.append(change(2))).isInstanceOf(IllegalStateException.class);
    crashing.close();
    byte[] written = Files.readAllBytes(journal());
    try (OpenProfile profile = open(dir)) {
      assertThat(profile.journal()).isEqualTo(changes(2)); // the page cache kept it whole
    }

    List<Integer> offsets = recordOffsets(written);
    int lastStart = offsets.get(1);
    for (int cut = lastStart + 1; cut < written.length; cut++) {
      Files.write(journal(), Arrays.copyOf(written, cut)); // the disk got only part of it
      try (OpenProfile profile = open(dir)) {
        assertThat(profile.journal()).as("cut at %d", cut).isEqualTo(changes(1));
        assertThat(profile.hasJournal()).isTrue();
        assertThat(profile.append(change(9))).as("a torn journal is not appended to").isFalse();
      }
    }
  }

  @Test
  void aTornTail_isFoldedIntoTheNextSnapshot() throws Exception {
    profileWithRecords(2);
    byte[] written = Files.readAllBytes(journal());
    Files.write(journal(), Arrays.copyOf(written, written.length - 3));
    try (OpenProfile profile = open(dir)) {
      assertThat(profile.journal()).isEqualTo(changes(1));
      profile.write(state(2));
      assertThat(profile.append(change(5))).isTrue();
    }
    try (OpenProfile profile = open(dir)) {
      assertThat(profile.state()).isEqualTo(state(2));
      assertThat(profile.journal()).containsExactly(change(5));
    }
  }

  @Test
  void anyChangedBit_yieldsARefusalOrAPrefix_neverAnAlteredRecord() throws Exception {
    profileWithRecords(3);
    byte[] original = Files.readAllBytes(journal());
    List<Integer> offsets = recordOffsets(original);
    for (int bit = 0; bit < original.length * 8; bit++) {
      byte[] tampered = original.clone();
      tampered[bit / 8] ^= (byte) (1 << (bit % 8));
      Files.write(journal(), tampered);
      int at = bit / 8;
      boolean insideAnEarlierRecordsCiphertext = // records 0 and 1, past their length fields
          at >= offsets.get(0) + 4 && at < offsets.get(1)
              || at >= offsets.get(1) + 4 && at < offsets.get(2);
      try (OpenProfile profile = open(dir)) {
        assertThat(insideAnEarlierRecordsCiphertext).as("bit %d was accepted", bit).isFalse();
        List<JsonObject> read = profile.journal();
        assertThat(read).as("bit %d", bit).isEqualTo(changes(3).subList(0, read.size()));
        if (at >= offsets.get(2)) {
          assertThat(profile.journal()).isEqualTo(changes(2)); // the last record, as if torn
        }
      } catch (WrongPassphraseException refused) {
        // refused whole: the profile is damaged
      }
    }
  }

  @Test
  void reorderedOrRepeatedRecords_areRefused() throws Exception {
    profileWithRecords(3);
    byte[] file = Files.readAllBytes(journal());
    List<Integer> at = recordOffsets(file);
    byte[] header = Arrays.copyOf(file, at.get(0));
    byte[] r0 = Arrays.copyOfRange(file, at.get(0), at.get(1));
    byte[] r1 = Arrays.copyOfRange(file, at.get(1), at.get(2));
    byte[] r2 = Arrays.copyOfRange(file, at.get(2), at.get(3));

    for (byte[][] order :
        new byte[][][] {{r1, r0, r2}, {r0, r0, r1, r2}, {r0, r1, r1, r2}, {r0, r2, r1}}) {
      Files.write(journal(), concat(header, order));
      assertThatThrownBy(() -> open(dir).close()).isInstanceOf(WrongPassphraseException.class);
    }
    // a record moved to the end fails where the last record may (a torn write): it is dropped
    Files.write(journal(), concat(header, new byte[][] {r0, r2}));
    try (OpenProfile profile = open(dir)) {
      assertThat(profile.journal()).containsExactly(change(0));
    }
  }

  @Test
  void theJournalOrARecordOfAnotherProfile_isNeverApplied() throws Exception {
    Path other = dir.resolve("other");
    try (OpenProfile profile = create(other, state(1))) { // same passphrase, same info, same state
      profile.append(change(0));
      profile.append(change(1));
    }
    profileWithRecords(1);
    byte[] mine = Files.readAllBytes(journal());
    byte[] theirs = Files.readAllBytes(other.resolve("journal.bin"));

    Files.write(journal(), theirs); // their whole journal follows another snapshot: stale
    try (OpenProfile profile = open(dir)) {
      assertThat(profile.journal()).isEmpty();
    }
    List<Integer> at = recordOffsets(theirs);
    byte[] theirSecond = Arrays.copyOfRange(theirs, at.get(1), at.get(2));
    Files.write(journal(), concat(mine, new byte[][] {theirSecond, theirSecond}));
    assertThatThrownBy(() -> open(dir).close()).isInstanceOf(WrongPassphraseException.class);
  }

  @Test
  void crashDuringCompaction_beforeTheRename_keepsTheSnapshotAndItsJournal() throws Exception {
    profileWithRecords(2);
    OpenProfile profile =
        ProfileStore.open(
            dir,
            passphrase(),
            CHEAP_CEILING.withCrashPoint(
                (name, step) -> {
                  if (name.equals("state.bin") && step == CrashPoint.Step.TEMP_SYNCED) {
                    throw new SimulatedCrash();
                  }
                }));
    assertThatThrownBy(() -> profile.write(state(2))).isInstanceOf(SimulatedCrash.class);
    profile.close();
    try (OpenProfile reopened = open(dir)) {
      assertThat(reopened.state()).isEqualTo(state(1));
      assertThat(reopened.journal()).isEqualTo(changes(2));
    }
  }

  @Test
  void crashDuringCompaction_afterTheRename_leavesAStaleJournalThatIsIgnored() throws Exception {
    profileWithRecords(2);
    OpenProfile profile =
        ProfileStore.open(
            dir,
            passphrase(),
            CHEAP_CEILING.withCrashPoint(
                (name, step) -> {
                  if (name.equals("state.bin") && step == CrashPoint.Step.RENAMED) {
                    throw new SimulatedCrash();
                  }
                }));
    assertThatThrownBy(() -> profile.write(state(2))).isInstanceOf(SimulatedCrash.class);
    profile.close();
    assertThat(fileNames(dir)).contains("journal.bin");
    try (OpenProfile reopened = open(dir)) {
      assertThat(reopened.state()).isEqualTo(state(2));
      assertThat(reopened.journal()).isEmpty(); // not applied a second time
      assertThat(reopened.hasJournal()).isFalse();
      assertThat(reopened.append(change(5))).isTrue();
    }
    try (OpenProfile reopened = open(dir)) {
      assertThat(reopened.journal()).containsExactly(change(5));
    }
  }

  @Test
  void aLongJournal_asksForASnapshot() throws Exception {
    String big = "x".repeat(100_000);
    try (OpenProfile profile = create(dir, state(1))) {
      int appended = 0;
      while (profile.append(Json.createObjectBuilder().add("big", big).build())) {
        appended++;
      }
      assertThat(appended).isBetween(10, 12); // about 1 MiB
      profile.write(state(2));
      assertThat(profile.append(change(1))).isTrue();
    }
  }

  @Test
  void aReader_seesTheJournal_andCannotAppend() throws Exception {
    profileWithRecords(2);
    try (OpenProfile holder = open(dir);
        OpenProfile reader = ProfileStore.openForReading(dir, passphrase())) {
      assertThat(reader.journal()).isEqualTo(changes(2));
      assertThatThrownBy(() -> reader.append(change(3))).isInstanceOf(ProfileLockedException.class);
      assertThat(holder.append(change(2))).isTrue();
    }
  }

  @Test
  void aReaderRacingSnapshotsAndAppends_readsAWholeStateOrIsToldToTryAgain() throws Exception {
    profileWithRecords(1);
    try (OpenProfile holder = open(dir)) {
      AtomicBoolean stop = new AtomicBoolean();
      Thread writer =
          new Thread(
              () -> {
                try {
                  for (int i = 0; !stop.get(); i++) {
                    holder.write(state(i % 5));
                    holder.append(change(i));
                  }
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              });
      writer.start();
      try {
        for (int i = 0; i < 200; i++) {
          try (OpenProfile reader = ProfileStore.openForReading(dir, passphrase())) {
            assertThat(reader.journal()).hasSizeLessThanOrEqualTo(1);
          } catch (ProfileChangedException busy) {
            // told to try again: fine
          }
        }
      } finally {
        stop.set(true);
        writer.join();
      }
    }
  }

  private static byte[] concat(byte[] first, byte[][] rest) {
    int length = first.length;
    for (byte[] part : rest) {
      length += part.length;
    }
    ByteBuffer out = ByteBuffer.allocate(length).put(first);
    for (byte[] part : rest) {
      out.put(part);
    }
    return out.array();
  }
}
