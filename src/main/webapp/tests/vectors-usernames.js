// usernames.json: the browser's username rule (js/lib/usernames.js) gives the published answers.
import { USERNAME } from '../js/lib/usernames.js';

export function checkUsernames(checks, v) {
  for (const c of v.valid) {
    checks.ok(`usernames valid "${c.name}"`, USERNAME.test(c.username));
  }
  for (const c of v.invalid) {
    checks.ok(`usernames invalid "${c.name}"`, !USERNAME.test(c.username));
  }
}
