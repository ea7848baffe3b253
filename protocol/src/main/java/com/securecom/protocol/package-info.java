/**
 * Rules shared by every part of SecureCom (server, Java client, and through the published vectors
 * the browser), such as {@link com.securecom.protocol.Usernames}. The subpackages hold the channel,
 * its crypto and its relay messages. Depends on the JDK only.
 */
package com.securecom.protocol;
