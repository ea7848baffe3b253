package com.securecom.client.cli;

import com.securecom.client.app.SendPacing;
import com.securecom.protocol.DeviceIds;
import com.securecom.protocol.Usernames;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Checks of the arguments every command shares, made while picocli parses them, so that a malformed
 * one is a usage error (exit 2) that says what is expected, before a profile is opened or anything
 * is sent.
 */
final class Arguments {
  private Arguments() {}

  /**
   * A username as the server defines it ({@link Usernames}): for peers, {@code --user} and {@code
   * register}.
   */
  static final class Username implements ITypeConverter<String> {
    @Override
    public String convert(String value) {
      if (!Usernames.isValid(value) || value.chars().allMatch(c -> c == '.')) {
        throw new TypeConversionException(
            "'"
                + value
                + "' is not a username: a username is "
                + Usernames.RULE
                + (value.equals(value.toLowerCase(Locale.ROOT)) ? "" : " (lower case only)"));
      }
      return value;
    }
  }

  /** A user ({@link Username}) or, starting with {@code #}, a group ({@link GroupArgument}). */
  static final class Recipient implements ITypeConverter<String> {
    @Override
    public String convert(String value) {
      return GroupArgument.isGroup(value) ? value : new Username().convert(value);
    }
  }

  /** A device id ({@link DeviceIds}: 1 to 999,999,999, digits only), for {@code devices remove}. */
  static final class DeviceId implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
      if (value.matches("[0-9]{1,9}") && DeviceIds.isValid(Long.parseLong(value))) {
        return Integer.parseInt(value);
      }
      throw new TypeConversionException(
          "'"
              + value
              + "' is not a device id: a whole number from 1 to 999,999,999 ('securecom devices'"
              + " lists yours)");
    }
  }

  /**
   * The relay's frame rate limit as {@code BURST/PER_SECOND} (the server's {@code
   * securecom.channel.rate.burst} and {@code .per-second}), for {@code --relay-rate}.
   */
  static final class RelayRate implements ITypeConverter<SendPacing> {
    @Override
    public SendPacing convert(String value) {
      String[] parts = value.split("/", -1);
      try {
        if (parts.length == 2) {
          return new SendPacing(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]));
        }
      } catch (IllegalArgumentException malformed) {
        // the message below
      }
      throw new TypeConversionException(
          "'"
              + value
              + "' is not a rate limit: give BURST/PER_SECOND, two positive whole numbers (the"
              + " server's default is 200/100)");
    }
  }

  /** A server address: {@code http://} or {@code https://}, a host, and an optional port. */
  static final class ServerAddress implements ITypeConverter<URI> {
    @Override
    public URI convert(String value) {
      try {
        URI uri = new URI(value);
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
          return uri;
        }
      } catch (URISyntaxException malformed) {
        // said below
      }
      throw new TypeConversionException(
          "'"
              + value
              + "' is not a server address: use https://host[:port]"
              + " (or http://localhost:port for a server on this machine)");
    }
  }
}
