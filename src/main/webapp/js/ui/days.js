// Times and days as the conversations show them, in the user's locale and time zone: a message's time of day
// ("14:05"), and a separator before the first item of each day ("Today", "Yesterday", a weekday within the last
// week, else the date, with the year if it is not this one); in the list of conversations, the same, shorter.
import { el } from './dom.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/** The time of day, hours and minutes ("14:05"; "2:05 PM" where the locale writes it so). */
export function clock(ms) {
  return new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

/** The full date and time, for a tooltip. */
export function fullDate(ms) {
  return new Date(ms).toLocaleString([], { dateStyle: 'full', timeStyle: 'short' });
}

/** The local day of `ms` as yyyy-mm-dd. */
export function dayOf(ms) {
  const d = new Date(ms);
  return [d.getFullYear(), d.getMonth() + 1, d.getDate()]
    .map((n) => String(n).padStart(2, '0'))
    .join('-');
}

function midnight(ms) {
  const d = new Date(ms);
  d.setHours(0, 0, 0, 0);
  return d;
}

/** Local days from the day of `ms` to the day of `now` (rounded: a day with a DST change has 23 or 25 hours). */
function daysAgo(ms, now) {
  return Math.round((midnight(now) - midnight(ms)) / DAY_MS);
}

/** What the separator of the day of `ms` reads on the day of `now`. */
export function dayLabel(ms, now = Date.now()) {
  const day = midnight(ms);
  const ago = daysAgo(ms, now);
  if (ago === 0) {
    return 'Today';
  }
  if (ago === 1) {
    return 'Yesterday';
  }
  if (ago > 1 && ago < 7) {
    return day.toLocaleDateString([], { weekday: 'long' });
  }
  return day.toLocaleDateString([], {
    weekday: 'short',
    day: 'numeric',
    month: 'long',
    year: day.getFullYear() === new Date(now).getFullYear() ? undefined : 'numeric',
  });
}

/** When, in the list of conversations: the time today, "Yesterday", a weekday within the last week, or the date. */
export function briefly(ms, now = Date.now()) {
  const ago = daysAgo(ms, now);
  if (ago === 0) {
    return clock(ms);
  }
  if (ago === 1) {
    return 'Yesterday';
  }
  const day = new Date(ms);
  if (ago > 1 && ago < 7) {
    return day.toLocaleDateString([], { weekday: 'short' });
  }
  return day.toLocaleDateString([], {
    day: 'numeric',
    month: 'short',
    year: day.getFullYear() === new Date(now).getFullYear() ? undefined : 'numeric',
  });
}

/** Milliseconds from `now` to the next local midnight, when the labels change. */
export function untilTomorrow(now = Date.now()) {
  const next = midnight(now);
  next.setDate(next.getDate() + 1);
  return next - now;
}

/**
 * Puts a separator (li.day) before the first item of each day in `list`, whose items carry their time in
 * data-at (ms), and updates or removes the separators already there. A separator that is still right is left
 * alone, so a screen reader does not hear it again.
 */
export function markDays(list, now = Date.now()) {
  let previousDay = null;
  for (const item of [...list.children]) {
    if (item.classList.contains('day')) {
      continue;
    }
    const at = Number(item.dataset.at);
    const day = dayOf(at);
    const separator = item.previousElementSibling?.classList.contains('day')
      ? item.previousElementSibling
      : null;
    if (day === previousDay) {
      separator?.remove();
    } else if (separator) {
      setLabel(separator, day, dayLabel(at, now));
    } else {
      item.before(setLabel(el('li', { class: 'day' }, el('time')), day, dayLabel(at, now)));
    }
    previousDay = day;
  }
  for (const separator of list.querySelectorAll(':scope > li.day')) {
    if (!separator.nextElementSibling || separator.nextElementSibling.classList.contains('day')) {
      separator.remove(); // nothing of its day after it
    }
  }
}

function setLabel(separator, day, label) {
  const time = separator.firstElementChild;
  if (time.dateTime !== day) {
    time.dateTime = day;
  }
  if (time.textContent !== label) {
    time.textContent = label;
  }
  return separator;
}
