// The key warnings of a contact, in plain words (docs/protocol.md, "Identities and pins").
import { registryDiffers } from '../app/identities.js';

const WHY =
  'A changed key means that the person registered again (SecureCom on a new device, or a reinstalled' +
  ' browser) or that the server is misbehaving: no part of this server changes a registered key.';

/** {kind: 'pending'|'registry', text} for the contact, or null if there is nothing to warn about. */
export function identityWarning(contact) {
  const peer = contact.peer;
  if (contact.pending) {
    return {
      kind: 'pending',
      text:
        `⚠ A message came from ${peer} with a new key. ${WHY} Messages under the new key are marked as from` +
        ` an unconfirmed key, and sending to ${peer} is blocked until you confirm it. ` +
        (contact.verified
          ? `You had verified ${peer}'s old key, so compare the new safety number with ${peer} (in person or on a` +
            ' call) and verify it.'
          : `Compare the new safety number with ${peer} (in person or on a call) and verify it, or accept the new` +
            ' key without comparing.'),
    };
  }
  if (registryDiffers(contact)) {
    return {
      kind: 'registry',
      text:
        `⚠ The server now publishes another key for ${peer} than the one you trust. ${WHY} SecureCom keeps` +
        ` using the key you trust. If ${peer} really registered again, their next message lets you confirm the` +
        ' new key.',
    };
  }
  return null;
}
