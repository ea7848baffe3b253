/**
 * The client's network side: the REST API ({@link com.securecom.client.net.ServerApi}) and the
 * encrypted relay channel ({@link com.securecom.client.net.RelayConnection}) built on the shared
 * protocol code. Knows nothing of end-to-end sessions or the local store.
 */
package com.securecom.client.net;
