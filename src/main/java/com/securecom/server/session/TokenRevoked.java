package com.securecom.server.session;

/** Fired when a session ends by logout; open connections authenticated by that token must close. */
public record TokenRevoked(byte[] tokenHash) {}
