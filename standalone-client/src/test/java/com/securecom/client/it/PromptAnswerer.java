package com.securecom.client.it;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Types a line into a shell in {@link Tmux} and answers the client's prompts as a person would (the
 * account password, the profile passphrase, each asked twice on {@code register}, and {@code y} to
 * "does bob see exactly this number?"), until the shell's {@code $} prompt returns or a chat
 * starts. Counts each prompt on the screen, so a prompt already answered is not answered again.
 */
final class PromptAnswerer {
  private static final Duration TIMEOUT = Duration.ofSeconds(90);
  private static final List<String> PROMPTS =
      List.of("password:", "passphrase:", "Again:", "[y/N]");

  private final Tmux tmux;
  private final String secret;
  private final Map<String, Map<String, Integer>> answered = new HashMap<>();

  PromptAnswerer(Tmux tmux, String secret) {
    this.tmux = tmux;
    this.secret = secret;
  }

  void run(String terminal, String line) throws Exception {
    if (line.isEmpty()) {
      return;
    }
    Map<String, Integer> seen = answered.computeIfAbsent(terminal, t -> new HashMap<>());
    int prompts = shellPrompts(tmux.screen(terminal));
    int chats = count(tmux.screen(terminal), "Chatting with ");
    tmux.type(terminal, line);
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (true) {
      String screen = tmux.screen(terminal);
      for (String prompt : PROMPTS) {
        int shown = count(screen, prompt);
        if (shown > seen.getOrDefault(prompt, 0)) {
          seen.put(prompt, shown);
          tmux.type(terminal, prompt.equals("[y/N]") ? "y" : secret);
        }
      }
      if (count(screen, "Chatting with ") > chats || shellPrompts(screen) > prompts) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("\"" + line + "\" did not finish; the screen:\n" + screen);
      }
      Thread.sleep(100);
    }
  }

  /** Lines that are the shell's prompt, with or without a command typed after it. */
  private static int shellPrompts(String screen) {
    return (int) screen.lines().filter(l -> l.equals("$") || l.startsWith("$ ")).count();
  }

  private static int count(String screen, String text) {
    int n = 0;
    for (int i = screen.indexOf(text); i >= 0; i = screen.indexOf(text, i + text.length())) {
      n++;
    }
    return n;
  }
}
