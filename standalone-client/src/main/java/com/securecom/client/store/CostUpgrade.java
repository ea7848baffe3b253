package com.securecom.client.store;

import java.io.IOException;

/**
 * Raises a profile made at a weaker Argon2id cost to the current one, on the first unlock that has
 * its passphrase: a fresh salt, a key derived at the target cost, and the state re-encrypted and
 * replaced atomically like any write.
 *
 * <p>Crash safety: {@code state.bin} is replaced whole, so after a crash it holds the same state
 * either at the old cost or at the new one, and both open with the same passphrase; an interrupted
 * upgrade is simply done again at the next unlock. The target cost comes from the store's options,
 * never from the file.
 */
final class CostUpgrade {
  private CostUpgrade() {}

  static boolean isDue(Argon2Params stored, StoreOptions options) {
    return stored.isWeakerThan(options.targetCost());
  }

  /**
   * Re-encrypts {@code profile} at {@code options.targetCost()}. An I/O failure is not the caller's
   * problem: the profile stays open and usable at its old cost, and the next unlock tries again.
   */
  static void apply(OpenProfile profile, char[] passphrase, StoreOptions options) {
    Argon2Params target = options.targetCost();
    byte[] salt = new byte[StateFile.SALT_BYTES];
    options.random().nextBytes(salt);
    byte[] key = PassphraseKey.derive(passphrase, salt, target);
    try {
      profile.rekey(StateFile.fixedHeader(salt, target), key);
    } catch (IOException e) {
      // not raised this time (e.g. the disk is full); state.bin still opens with the passphrase
    }
  }
}
