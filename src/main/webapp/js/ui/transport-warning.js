// Says so when this page reached the browser without TLS from another machine: the password typed here and the
// session token would then cross the network in the clear (docs/protocol.md, "Threat model: the network").
// A page like that is not a secure context, so WebCrypto is missing and the app cannot start anyway; this tells the
// user why and what to use instead. Nothing here is resolved: the decision is taken from the address as written.

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

/** True for localhost (and *.localhost), IPv4 literals in 127.0.0.0/8 and [::1]: this machine, no network. */
export function isLoopbackHost(hostname) {
  const host = String(hostname).toLowerCase().replace(/\.$/, '');
  if (host === 'localhost' || host.endsWith('.localhost')) {
    return true;
  }
  if (IPV4.test(host)) {
    const octets = host.split('.').map(Number);
    return octets.every((o) => o <= 255) && octets[0] === 127;
  }
  return host === '[::1]' || host === '::1';
}

/**
 * The warning for a page at `where` (a Location or URL: protocol, hostname, host), or null when it came over https
 * or from this machine.
 */
export function transportWarning(where) {
  if (where.protocol === 'https:' || isLoopbackHost(where.hostname)) {
    return null;
  }
  return (
    `This page came from ${where.host} without encryption (${where.protocol}//): anyone on the network could` +
    " read your password and take over your session. Do not log in here: use this server's https:// address" +
    ' (ask its operator).'
  );
}
