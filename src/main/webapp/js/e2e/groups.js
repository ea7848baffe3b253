// Groups (docs/protocol.md, "Groups"; Java: com.securecom.protocol.groups): the group id, the state and its one JSON
// encoding, the builders of a successor, and the rules that decide whether an update applies. A state is a frozen
// {id, revision, name, creator, admins, members}, `admins` and `members` arrays in strictly increasing order (byte
// order on these ASCII names, as Java's String.compareTo). tests/vectors.html holds this file to groups.json.
// Pure functions.
import { hex, utf8 } from '../lib/bytes.js';
import { randomBytes } from '../lib/crypto.js';
import { parseWithSources } from '../lib/json-sources.js';
import { USERNAME } from '../lib/usernames.js';

export const GROUP_ID = /^[0-9a-f]{32}$/;
export const MAX_MEMBERS = 256;
export const MAX_NAME_BYTES = 200;
export const MAX_REVISION = 2 ** 53 - 1;
/** The name rule in words, for messages to users. */
export const NAME_RULE = `1 to ${MAX_NAME_BYTES} UTF-8 bytes, no control characters, not only spaces`;

/** A revision as written: digits without sign, leading zero, fraction or exponent (range checked apart). */
const REVISION_TEXT = /^[1-9][0-9]{0,15}$/;
const CONTROL = /\p{Cc}/u;
const ONLY_SPACE = /^[\p{Zs}\p{Zl}\p{Zp}]*$/u;

/** A state, an update or a text that breaks a rule of the encoding. */
export class MalformedGroup extends Error {
  constructor(message) {
    super(message);
    this.name = 'MalformedGroup';
  }
}

function must(rule, broken) {
  if (!rule) {
    throw new MalformedGroup(broken);
  }
}

/** True if `text` is a group id: exactly 32 characters of [0-9a-f]. */
export function isGroupId(text) {
  return typeof text === 'string' && GROUP_ID.test(text);
}

/** A fresh group id: 16 random bytes as 32 lowercase hex characters. */
export function randomGroupId() {
  return hex(randomBytes(16));
}

/** True if `name` follows the name rule: well-formed, no control character, not only spaces, 1-200 UTF-8 bytes. */
export function isGroupName(name) {
  return (
    typeof name === 'string' &&
    name.length >= 1 &&
    name.isWellFormed() &&
    !CONTROL.test(name) &&
    !ONLY_SPACE.test(name) &&
    utf8(name).length <= MAX_NAME_BYTES
  );
}

function byteOrder(a, b) {
  return a < b ? -1 : a > b ? 1 : 0; // UTF-16 order, which is byte order on usernames
}

function sortedUsers(users, what) {
  must(Array.isArray(users) || users instanceof Set, `${what} missing`);
  const list = [...new Set(users)];
  must(
    list.every((u) => typeof u === 'string' && USERNAME.test(u)),
    `each of ${what} is a username`,
  );
  return Object.freeze(list.sort(byteOrder));
}

/**
 * A well-formed state from its members (any order, repeats dropped); throws MalformedGroup naming the rule broken.
 */
export function groupState({ id, revision, name, creator, admins, members }) {
  must(isGroupId(id), 'a group id is 32 characters of [0-9a-f]');
  must(
    Number.isSafeInteger(revision) && revision >= 1 && revision <= MAX_REVISION,
    'revision out of range: 1 to 2^53 - 1',
  );
  must(isGroupName(name), 'a group name is ' + NAME_RULE);
  must(typeof creator === 'string' && USERNAME.test(creator), 'the creator is a username');
  const sortedMembers = sortedUsers(members, 'members');
  const sortedAdmins = sortedUsers(admins, 'admins');
  must(
    sortedMembers.length >= 1 && sortedMembers.length <= MAX_MEMBERS,
    `a group has 1 to ${MAX_MEMBERS} members`,
  );
  must(
    sortedAdmins.every((a) => sortedMembers.includes(a)),
    'every admin is a member',
  );
  return Object.freeze({
    id,
    revision,
    name,
    creator,
    admins: sortedAdmins,
    members: sortedMembers,
  });
}

/** The state as a plain object in the encoding's member order (to embed in a `groupUpdate`). */
export function groupStateJson(state) {
  return {
    id: state.id,
    revision: state.revision,
    name: state.name,
    creator: state.creator,
    admins: [...state.admins],
    members: [...state.members],
  };
}

/** The state as compact JSON text, the encoding's exact form. */
export function encodeGroupState(state) {
  return JSON.stringify(groupStateJson(state));
}

/** The array `member` of `json`: at most 256 usernames in strictly increasing order. */
function usernames(json, member) {
  const array = json[member];
  must(Array.isArray(array), `'${member}' is an array`);
  must(array.length <= MAX_MEMBERS, `'${member}' has at most ${MAX_MEMBERS} usernames`);
  array.forEach((user, i) => {
    must(typeof user === 'string' && USERNAME.test(user), `'${member}' holds usernames`);
    must(i === 0 || array[i - 1] < user, `'${member}' is in strictly increasing order`);
  });
  return array;
}

function string(json, member) {
  must(typeof json[member] === 'string', `'${member}' is a string`);
  return json[member];
}

/**
 * Reads a state from a parsed JSON value. `sourceOf(object, key)` gives the source text of the number `object[key]`
 * as written (JSON.parse source text access), so that `1.0` and `1e0` are told from `1`.
 */
export function readGroupState(value, sourceOf) {
  must(
    value !== null && typeof value === 'object' && !Array.isArray(value),
    'a group state is a JSON object',
  );
  const id = string(value, 'id');
  must(isGroupId(id), 'a group id is 32 characters of [0-9a-f]');
  const revision = value.revision;
  const written = typeof revision === 'number' ? sourceOf(value, 'revision') : null;
  must(
    written !== null && REVISION_TEXT.test(written) && revision <= MAX_REVISION,
    "'revision' is a JSON integer from 1 to 2^53 - 1 without sign or leading zero",
  );
  const name = string(value, 'name');
  must(isGroupName(name), "'name' is " + NAME_RULE);
  const creator = string(value, 'creator');
  must(USERNAME.test(creator), "'creator' is a username");
  const admins = usernames(value, 'admins');
  const members = usernames(value, 'members');
  must(members.length >= 1, 'a group has at least one member');
  return groupState({ id, revision, name, creator, admins, members });
}

/** Reads a state that is the whole of `text`; throws MalformedGroup naming the first rule broken. */
export function decodeGroupState(text) {
  let parsed;
  try {
    parsed = parseWithSources(text);
  } catch {
    throw new MalformedGroup('not JSON');
  }
  return readGroupState(parsed.value, parsed.sourceOf);
}

/** True if `user` is the creator or an admin, so may add, remove and rename. */
export function isManager(state, user) {
  return state.creator === user || state.admins.includes(user);
}

function next(state, name, admins, members) {
  must(state.revision < MAX_REVISION, 'the group has reached its last revision');
  return groupState({
    id: state.id,
    revision: state.revision + 1,
    name,
    creator: state.creator,
    admins,
    members,
  });
}

const union = (a, b) => [...new Set([...a, ...b])];
const minus = (a, b) => [...a].filter((x) => !b.includes(x));

/** A new group at revision 1: `creator` and `members` (the creator added if missing), no admins. */
export function create(id, name, creator, members) {
  return groupState({
    id,
    revision: 1,
    name,
    creator,
    admins: [],
    members: union(members, [creator]),
  });
}

/** The successor with `users` added to the members. */
export function withAdded(state, users) {
  return next(state, state.name, state.admins, union(state.members, users));
}

/** The successor without `users`, as members and as admins. */
export function withRemoved(state, users) {
  return next(state, state.name, minus(state.admins, users), minus(state.members, users));
}

/** The successor named `name`. */
export function withName(state, name) {
  return next(state, name, state.admins, state.members);
}

/** The successor whose admins are exactly `admins` (members all). */
export function withAdmins(state, admins) {
  return next(state, state.name, admins, state.members);
}

/** The successor without `user`: its leave, the one change any member may make. */
export function leftBy(state, user) {
  return withRemoved(state, [user]);
}

const sameList = (a, b) => a.length === b.length && a.every((x, i) => x === b[i]);
const ignored = (reason) => ({ result: 'ignored', reason });

/**
 * Whether `proposed`, sent by `sender`, replaces `current` (or null) in the client of `self` (docs/protocol.md,
 * "Group rules"; Java: GroupRules.apply): {result: 'applied', state, change: {joined, added, removed, renamed,
 * adminsChanged, left, selfRemoved}} or {result: 'ignored', reason} with the reason codes of groups.json.
 */
export function applyUpdate(current, sender, proposed, self) {
  if (!current || !current.members.includes(self)) {
    if (!proposed.members.includes(self)) {
      return ignored('not_for_me');
    }
    if (!proposed.members.includes(sender)) {
      return ignored('not_a_member');
    }
    if (!isManager(proposed, sender)) {
      return ignored('not_allowed');
    }
    return {
      result: 'applied',
      state: proposed,
      change: {
        joined: true,
        added: [],
        removed: [],
        renamed: false,
        adminsChanged: false,
        left: false,
        selfRemoved: false,
      },
    };
  }
  if (proposed.id !== current.id) {
    return ignored('other_group');
  }
  if (proposed.creator !== current.creator) {
    return ignored('creator_changed');
  }
  if (proposed.revision !== current.revision + 1) {
    return ignored('not_a_successor');
  }
  if (!current.members.includes(sender)) {
    return ignored('not_a_member');
  }
  const added = minus(proposed.members, current.members);
  const removed = minus(current.members, proposed.members);
  const renamed = proposed.name !== current.name;
  const adminsChanged = !sameList(proposed.admins, current.admins);
  if (added.length === 0 && removed.length === 0 && !renamed && !adminsChanged) {
    return ignored('no_change');
  }
  const left =
    removed.length === 1 &&
    removed[0] === sender &&
    added.length === 0 &&
    !renamed &&
    sameList(proposed.admins, minus(current.admins, [sender]));
  const byCreator = sender === current.creator;
  if (
    !left &&
    (!isManager(current, sender) ||
      (adminsChanged && !byCreator) ||
      (removed.includes(current.creator) && !byCreator))
  ) {
    return ignored('not_allowed');
  }
  return {
    result: 'applied',
    state: proposed,
    change: {
      joined: false,
      added,
      removed,
      renamed,
      adminsChanged,
      left,
      selfRemoved: removed.includes(self),
    },
  };
}
