/**
 * Rules shared by every part of SecureCom (server, Java client, and through the published vectors
 * the browser), such as {@link com.securecom.protocol.Usernames} and {@link
 * com.securecom.protocol.DeviceIds}. The subpackages hold the channel, its crypto, its relay
 * messages and the signed device lists. Depends on the JDK only.
 */
package com.securecom.protocol;
