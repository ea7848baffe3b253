/**
 * What the browser tests drive: Chromium windows (one browser profile each, screenshots on
 * failure), the chat page as a person uses it, the standalone Java client as a child process, and a
 * proxy that takes the server away.
 */
package com.securecom.browser.support;
