// The plaintext inside every envelope, before padding (docs/protocol.md, "Payload"): one UTF-8 JSON object, a
// `text` {id, type, sentAt, body}, a `receipt` {id, type, sentAt, receipt, of} or a sent transcript
// {id, type, sentAt, to, body}, then `fromDevice` and `toDevice` where they are not 1. Writers send compact JSON in that member order; readers accept any order, ignore unknown
// members and refuse anything else (null). The group payloads (docs/protocol.md, "Group payloads"): a `groupText`
// {id, type, sentAt, group, body} (`group` the group id) and a `groupUpdate` {id, type, sentAt, group} (`group` the
// whole new state, js/e2e/groups.js).
import { fromUtf8, utf8 } from '../lib/bytes.js';
import { isDeviceId } from '../lib/device-ids.js';
import { parseWithSources } from '../lib/json-sources.js';
import { groupState, groupStateJson, isGroupId, readGroupState } from './groups.js';
import { USERNAME } from '../lib/usernames.js';
import { ID } from '../lib/wire.js';

export const MAX_BODY_BYTES = 60000;
export const MAX_RECEIPT_IDS = 100;
export const RECEIPTS = Object.freeze(['delivered', 'read', 'undecryptable']);

/** What writers write: Date.prototype.toISOString's form, 24 characters. */
const WRITTEN_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
/** What readers accept: seconds required, 0 to 9 fraction digits, upper-case T and Z, no offset. */
const READ_INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d{1,9})?Z$/;

function daysIn(year, month) {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0; // proleptic Gregorian: year 0 is leap
  return [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
}

/** True if `text` is an instant a reader accepts: a valid date and time of years 0000-9999, no leap second. */
export function isInstant(text) {
  const m = typeof text === 'string' ? READ_INSTANT.exec(text) : null;
  if (!m) {
    return false;
  }
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map(Number);
  return mo >= 1 && mo <= 12 && d >= 1 && d <= daysIn(y, mo) && h <= 23 && mi <= 59 && s <= 59;
}

/** The sender's clock as writers write it: YYYY-MM-DDTHH:MM:SS.sssZ. */
export function instantNow(date = new Date()) {
  return date.toISOString();
}

/** A present `fromDevice` or `toDevice` as written: 2 to 999,999,999 (1 is written by leaving the member out). */
const ROUTE_DEVICE_TEXT = /^[1-9][0-9]{0,8}$/;

/** Appends `fromDevice` and `toDevice` to a payload object in the canonical order, each only if it is not 1. */
function routed(json, p) {
  for (const member of ['fromDevice', 'toDevice']) {
    const device = p[member] ?? 1;
    if (!isDeviceId(device)) {
      throw new Error('a device id is 1 to 999,999,999');
    }
    if (device !== 1) {
      json[member] = device;
    }
  }
  return json;
}

function isBody(body) {
  if (typeof body !== 'string') {
    return false;
  }
  const bytes = utf8(body).length;
  return bytes >= 1 && bytes <= MAX_BODY_BYTES;
}

function isIdList(of) {
  return (
    Array.isArray(of) &&
    of.length >= 1 &&
    of.length <= MAX_RECEIPT_IDS &&
    of.every((id) => typeof id === 'string' && ID.test(id)) &&
    new Set(of).size === of.length
  );
}

/**
 * Compact UTF-8 JSON in the canonical member order: {id, type:'text', sentAt, body} or
 * {id, type:'receipt', sentAt, receipt, of}. Throws if the payload breaks a rule (an empty text included).
 */
export function encodePayload(p) {
  if (
    typeof p.id !== 'string' ||
    !ID.test(p.id) ||
    typeof p.sentAt !== 'string' ||
    !WRITTEN_INSTANT.test(p.sentAt) ||
    !isInstant(p.sentAt)
  ) {
    throw new Error('payload needs a relay id and a time as YYYY-MM-DDTHH:MM:SS.sssZ');
  }
  if (p.type === 'text') {
    if (!isBody(p.body)) {
      throw new Error(`a text has 1 to ${MAX_BODY_BYTES} UTF-8 bytes`);
    }
    return utf8(
      JSON.stringify(routed({ id: p.id, type: 'text', sentAt: p.sentAt, body: p.body }, p)),
    );
  }
  if (p.type === 'receipt') {
    if (!RECEIPTS.includes(p.receipt) || !isIdList(p.of)) {
      throw new Error(
        `a receipt is one of ${RECEIPTS.join(', ')} about 1 to ${MAX_RECEIPT_IDS} distinct ids`,
      );
    }
    return utf8(
      JSON.stringify(
        routed(
          { id: p.id, type: 'receipt', sentAt: p.sentAt, receipt: p.receipt, of: [...p.of] },
          p,
        ),
      ),
    );
  }
  if (p.type === 'sent') {
    if (typeof p.to !== 'string' || !USERNAME.test(p.to) || !isBody(p.body)) {
      throw new Error(`a transcript names a username and has 1 to ${MAX_BODY_BYTES} UTF-8 bytes`);
    }
    return utf8(
      JSON.stringify(
        routed({ id: p.id, type: 'sent', sentAt: p.sentAt, to: p.to, body: p.body }, p),
      ),
    );
  }
  if (p.type === 'groupText') {
    if (!isGroupId(p.group) || !isBody(p.body)) {
      throw new Error(`a group text names a group id and has 1 to ${MAX_BODY_BYTES} UTF-8 bytes`);
    }
    return utf8(
      JSON.stringify(
        routed({ id: p.id, type: p.type, sentAt: p.sentAt, group: p.group, body: p.body }, p),
      ),
    );
  }
  if (p.type === 'groupUpdate') {
    const group = groupStateJson(groupState(p.group)); // MalformedGroup if it is not a state
    return utf8(JSON.stringify(routed({ id: p.id, type: p.type, sentAt: p.sentAt, group }, p)));
  }
  throw new Error('unknown payload type');
}

/** The group state of a `groupUpdate` as read, or null if it breaks a rule. */
function stateOf(value, sourceOf) {
  try {
    return readGroupState(value, sourceOf);
  } catch {
    return null;
  }
}

/** `sentAt` as writers write it: the fraction cut or filled to milliseconds (a valid instant). */
function writersForm(sentAt) {
  const [, seconds, fraction = ''] = /^(.{19})(?:\.(\d+))?Z$/.exec(sentAt);
  return `${seconds}.${(fraction + '000').slice(0, 3)}Z`;
}

/**
 * The payload as {id, type, sentAt, body, fromDevice, toDevice}, {id, type, sentAt, receipt, of, fromDevice,
 * toDevice}, {id, type, sentAt, to, body, fromDevice, toDevice}, {id, type, sentAt, group (an id), body,
 * fromDevice, toDevice} or {id, type, sentAt, group (a state), fromDevice, toDevice}, `sentAt` in the writers' form, an absent device member as 1, or null if the bytes break a rule.
 */
export function decodePayload(bytes) {
  let value;
  let sourceOf; // each number's source text tells `2` from `2.0` and `2e0`
  try {
    ({ value, sourceOf } = parseWithSources(fromUtf8(bytes)));
  } catch {
    return null;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return null;
  }
  const { id, type } = value;
  if (typeof id !== 'string' || !ID.test(id) || !isInstant(value.sentAt)) {
    return null;
  }
  const device = (member) => {
    if (!Object.hasOwn(value, member)) {
      return 1;
    }
    const text = sourceOf(value, member);
    return typeof value[member] === 'number' &&
      text !== null &&
      ROUTE_DEVICE_TEXT.test(text) &&
      value[member] !== 1
      ? value[member]
      : null;
  };
  const fromDevice = device('fromDevice');
  const toDevice = device('toDevice');
  if (fromDevice === null || toDevice === null) {
    return null;
  }
  const sentAt = writersForm(value.sentAt);
  if (type === 'text') {
    return isBody(value.body) ? { id, type, sentAt, body: value.body, fromDevice, toDevice } : null;
  }
  if (type === 'receipt') {
    return typeof value.receipt === 'string' &&
      RECEIPTS.includes(value.receipt) &&
      isIdList(value.of)
      ? { id, type, sentAt, receipt: value.receipt, of: [...value.of], fromDevice, toDevice }
      : null;
  }
  if (type === 'sent') {
    return typeof value.to === 'string' && USERNAME.test(value.to) && isBody(value.body)
      ? { id, type, sentAt, to: value.to, body: value.body, fromDevice, toDevice }
      : null;
  }
  if (type === 'groupText') {
    return isGroupId(value.group) && isBody(value.body)
      ? { id, type, sentAt, group: value.group, body: value.body, fromDevice, toDevice }
      : null;
  }
  if (type === 'groupUpdate') {
    const group = stateOf(value.group, sourceOf);
    return group ? { id, type, sentAt, group, fromDevice, toDevice } : null;
  }
  return null;
}
