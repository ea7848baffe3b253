package com.securecom.client.app;

import com.securecom.client.net.KeyDirectory;
import java.security.SecureRandom;
import java.time.Clock;

/**
 * What the {@link Outbox} and the {@link Inbox} both work with, composed once by the {@link
 * Messenger}: the profile, the pins (identities and device lists) and sessions, the registry,
 * randomness, time, what the user is told, and the timings {@code --verbose} prints.
 */
record Messaging(
    Vault vault,
    PeerTrust trust,
    DeviceLists devices,
    KeyDirectory keys,
    SecureRandom random,
    Clock clock,
    MessengerEvents events,
    Messenger.Timings timings) {}
