package com.securecom.loadgen;

/**
 * How the relay and its recipients name a message: the sender's user name and the id the sender
 * chose. Ids are unique per sender only, so a recipient removes duplicate deliveries by this pair
 * (docs/protocol.md, "Flow").
 */
public record MessageKey(String from, String id) implements Comparable<MessageKey> {
  @Override
  public int compareTo(MessageKey other) {
    int byFrom = from.compareTo(other.from);
    return byFrom != 0 ? byFrom : id.compareTo(other.id);
  }

  @Override
  public String toString() {
    return from + "/" + id;
  }
}
