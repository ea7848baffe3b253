// "Link this browser to an existing account" on the login screen: shows the link code as a QR code and as text,
// waits for the other device, and enters the chat once this browser is linked (app/new-device.js does the work).
// The panel's data-state says where it is, for people using assistive technology (link-status) and for tests:
// opening, waiting, linking, failed, linked.
import qrcodegen from '../lib/qrcodegen.js';
import { LinkCancelled } from '../app/new-device.js';
import { $, show } from './dom.js';

const SVG = 'http://www.w3.org/2000/svg';
const QUIET_ZONE = 4; // modules of light border every QR reader expects

/** An SVG of `text` as a QR code at error correction level M (as the command-line client prints it). */
export function qrSvg(text) {
  const qr = qrcodegen.QrCode.encodeText(text, qrcodegen.QrCode.Ecc.MEDIUM);
  const side = qr.size + 2 * QUIET_ZONE;
  let d = '';
  for (let y = 0; y < qr.size; y++) {
    for (let x = 0; x < qr.size; x++) {
      if (qr.getModule(x, y)) {
        d += `M${x + QUIET_ZONE},${y + QUIET_ZONE}h1v1h-1z`;
      }
    }
  }
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', `0 0 ${side} ${side}`);
  svg.setAttribute('shape-rendering', 'crispEdges');
  svg.dataset.modules = String(qr.size);
  const background = document.createElementNS(SVG, 'rect');
  background.setAttribute('width', String(side));
  background.setAttribute('height', String(side));
  background.setAttribute('fill', '#fff');
  const dark = document.createElementNS(SVG, 'path');
  dark.setAttribute('d', d);
  dark.setAttribute('fill', '#000');
  svg.append(background, dark);
  return svg;
}

export class LinkView {
  /**
   * newLink() makes a NewDeviceLink; onLinked(account) enters the chat; onClose() shows the login form again.
   */
  constructor({ newLink, onLinked, onClose }) {
    this.newLink = newLink;
    this.onLinked = onLinked;
    this.onClose = onClose;
    this.panel = $('link-panel');
    this.controller = null;
    $('link-browser').addEventListener('click', () => this.start());
    $('link-restart').addEventListener('click', () => this.start());
    $('link-cancel').addEventListener('click', () => this.cancel());
  }

  state(name, status) {
    this.panel.dataset.state = name;
    $('link-status').textContent = status;
  }

  clearCode() {
    $('link-qr').replaceChildren();
    $('link-code-text').textContent = '';
    $('link-expiry').textContent = '';
  }

  async start() {
    this.controller?.abort();
    const controller = new AbortController();
    this.controller = controller;
    show($('auth-card'), false);
    show(this.panel, true);
    show($('link-restart'), false);
    $('link-cancel').disabled = false;
    $('link-error').textContent = '';
    this.clearCode();
    this.state('opening', 'Making a link code…');
    try {
      const link = this.newLink();
      const pending = await link.open();
      if (controller.signal.aborted) {
        return;
      }
      $('link-qr').replaceChildren(qrSvg(pending.code.qrText));
      $('link-code-text').textContent = pending.code.text;
      $('link-expiry').textContent = new Date(pending.code.expiresAt * 1000).toLocaleTimeString(
        [],
        { hour: '2-digit', minute: '2-digit' },
      );
      this.state('waiting', 'Waiting for your other device…');
      $('link-code-text').focus();
      const grant = await link.receive(pending, controller.signal);
      this.clearCode();
      $('link-cancel').disabled = true; // the keys are being made and registered: nothing half-done to cancel to
      this.state(
        'linking',
        `Linking this browser to ${grant.username} as device ${grant.deviceId}…`,
      );
      const account = await link.link(grant);
      this.state(
        'linked',
        `This browser is now device ${account.deviceId} of ${account.username}.`,
      );
      show(this.panel, false);
      show($('auth-card'), true);
      await this.onLinked(account);
    } catch (e) {
      if (e instanceof LinkCancelled || controller.signal.aborted) {
        return;
      }
      this.clearCode();
      this.state('failed', '');
      $('link-error').textContent = e.message;
      show($('link-restart'), true);
      $('link-cancel').disabled = false;
    } finally {
      if (this.controller === controller) {
        this.controller = null;
      }
    }
  }

  /** Stops polling (the code dies with its mailbox's expiry) and shows the login form again. */
  cancel() {
    this.controller?.abort();
    this.controller = null;
    this.clearCode();
    show(this.panel, false);
    show($('auth-card'), true);
    this.onClose();
  }
}
