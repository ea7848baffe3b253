// Checks every published test vector with this browser's WebCrypto. The result is in document.body.dataset.result:
// "pass", or "fail: <first failures>" (read by the Selenium tests).
import { checkChannel, checkHkdf, checkWire } from './vectors-channel.js';
import { checkDevices, checkFanout } from './vectors-devices.js';
import { checkGroups } from './vectors-groups.js';
import { checkLink } from './vectors-link.js';
import { checkEnvelope, checkRatchet, checkSafetyNumber, checkX3dh } from './vectors-peer.js';
import { checkUsernames } from './vectors-usernames.js';

const FILES = [
  'hkdf',
  'channel',
  'wire',
  'usernames',
  'x3dh',
  'ratchet',
  'safety-number',
  'envelope',
  'devices',
  'fanout',
  'link',
  'groups',
];

/** Collects named checks. */
class Checks {
  constructor() {
    this.count = 0;
    this.failures = [];
  }

  ok(name, condition) {
    this.count++;
    if (!condition) {
      this.failures.push(name);
    }
  }

  async throws(name, fn, errorName) {
    try {
      await fn();
      this.ok(name + ' (no error)', false);
    } catch (e) {
      this.ok(
        name + ' (threw ' + e.name + ': ' + e.message + ')',
        !errorName || e.name === errorName,
      );
    }
  }
}

function report(file, checks, before) {
  const li = document.createElement('li');
  const failed = checks.failures.length - before.failures;
  const outcome = failed === 0 ? 'all pass' : failed + ' failed';
  li.textContent = `${file}.json: ${checks.count - before.count} checks, ${outcome}`;
  li.className = failed === 0 ? 'pass' : 'fail';
  document.getElementById('results').append(li);
}

async function main() {
  const checks = new Checks();
  const vectors = {};
  for (const file of FILES) {
    const response = await fetch(`vectors/${file}.json`, { cache: 'no-store' });
    if (!response.ok) {
      throw new Error(`cannot load vectors/${file}.json: HTTP ${response.status}`);
    }
    vectors[file] = await response.json();
  }
  const steps = {
    hkdf: () => checkHkdf(checks, vectors.hkdf),
    channel: () => checkChannel(checks, vectors.channel),
    wire: () => checkWire(checks, vectors.wire),
    usernames: () => checkUsernames(checks, vectors.usernames),
    x3dh: () => checkX3dh(checks, vectors.x3dh),
    ratchet: () => checkRatchet(checks, vectors.ratchet, vectors.x3dh),
    'safety-number': () => checkSafetyNumber(checks, vectors['safety-number']),
    envelope: () => checkEnvelope(checks, vectors.envelope),
    devices: () => checkDevices(checks, vectors.devices),
    fanout: () => checkFanout(checks, vectors.fanout),
    link: () => checkLink(checks, vectors.link),
    groups: () => checkGroups(checks, vectors.groups),
  };
  for (const file of FILES) {
    const before = { count: checks.count, failures: checks.failures.length };
    try {
      await steps[file]();
    } catch (e) {
      checks.ok(`${file}: unexpected ${e.name}: ${e.message}`, false);
    }
    report(file, checks, before);
  }
  const summary = document.getElementById('summary');
  if (checks.failures.length === 0) {
    summary.textContent = `All ${checks.count} checks pass.`;
    document.body.dataset.result = 'pass';
  } else {
    summary.textContent = `${checks.failures.length} of ${checks.count} checks failed: ${checks.failures.join('; ')}`;
    document.body.dataset.result = 'fail: ' + checks.failures.slice(0, 10).join('; ');
  }
}

main().catch((e) => {
  document.getElementById('summary').textContent = 'Could not run: ' + e.message;
  document.body.dataset.result = 'fail: ' + e.message;
});
