/**
 * Browser tests: Debian's headless Chromium, driven by Selenium through its chromedriver, runs the
 * browser client that the built WAR serves, against a real Payara Micro (Arquillian,
 * {@code @RunAsClient}). Where Chromium is missing they are skipped with a note; with {@code
 * CI=true} they run (and fail) regardless. {@link com.securecom.browser.ErrorTextsTest}, a unit
 * test, reads the browser's JavaScript for its error texts and holds them to the server's codes.
 */
package com.securecom.browser;
