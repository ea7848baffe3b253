// groups.json: js/e2e/groups.js reads, writes and rules on group states as the Java groups package does.
import {
  applyUpdate,
  create,
  decodeGroupState,
  encodeGroupState,
  groupState,
  leftBy,
  withAdded,
  withAdmins,
  withName,
  withRemoved,
} from '../js/e2e/groups.js';

const sameJson = (a, b) => JSON.stringify(a) === JSON.stringify(b);

function decodes(json) {
  try {
    return decodeGroupState(json);
  } catch (e) {
    return e.name === 'MalformedGroup' ? null : undefined;
  }
}

export async function checkGroups(checks, v) {
  for (const c of v.states.valid) {
    const state = decodes(c.json);
    checks.ok(`groups state valid ${c.name}`, !!state && sameJson(state, c.state));
    if (c.canonical) {
      checks.ok(
        `groups state ${c.name} encodes canonically`,
        !!state && encodeGroupState(state) === c.json,
      );
    }
  }
  for (const c of v.states.invalid) {
    checks.ok(`groups state invalid ${c.name} is refused`, decodes(c.json) === null);
  }
  for (const c of v.updates) {
    const current = c.current === null ? null : groupState(c.current);
    const outcome = applyUpdate(current, c.sender, groupState(c.proposed), c.self);
    const expected =
      c.result === 'applied'
        ? { result: 'applied', state: groupState(c.proposed), change: c.change }
        : { result: 'ignored', reason: c.reason };
    checks.ok(`groups update ${c.name} is ${c.result}`, sameJson(outcome, expected));
  }
  const id = '5f0c3a9e1b2d4c6e8f00112233445566';
  const made = create(id, 'Climbing', 'alice', ['carol', 'bob']);
  checks.ok(
    'groups create adds the creator, sorts, revision 1, no admins',
    encodeGroupState(made) === v.states.valid.find((s) => s.name === 'created').json,
  );
  const builders = {
    added: withAdded(made, ['dave']),
    removed: withRemoved(made, ['carol']),
    renamed: withName(made, 'Bouldering'),
    adminsChanged: withAdmins(made, ['bob']),
  };
  for (const [what, next] of Object.entries(builders)) {
    const outcome = applyUpdate(made, 'alice', next, 'bob');
    checks.ok(
      `groups builder of ${what} makes the successor the creator may send`,
      next.revision === 2 &&
        outcome.result === 'applied' &&
        ![false, undefined, '[]'].includes(
          Array.isArray(outcome.change[what])
            ? JSON.stringify(outcome.change[what])
            : outcome.change[what],
        ),
    );
  }
  const left = applyUpdate(made, 'carol', leftBy(made, 'carol'), 'bob');
  checks.ok('groups leftBy is a leave', left.result === 'applied' && left.change.left);
  await checks.throws(
    'groups refuse a 201-byte name',
    () => withName(made, 'x'.repeat(201)),
    'MalformedGroup',
  );
  await checks.throws(
    'groups refuse an admin who is no member',
    () => withAdmins(made, ['zed']),
    'MalformedGroup',
  );
}
