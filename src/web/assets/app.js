// Progressive enhancements for the panel. Everything works without this file.
'use strict';

// Ask before destructive actions: any form whose button has data-confirm.
document.addEventListener('submit', (event) => {
  const form = event.target;
  const button = event.submitter;
  const message = button && button.getAttribute('data-confirm');
  if (message && !window.confirm(message)) event.preventDefault();
  if (form && form.classList && !event.defaultPrevented) form.classList.add('busy');
});

// DNS record form: show only the chosen type's own fields and value hint (hidden fieldsets are
// disabled, so they are not sent), and the name the host field gives, as the server reads it.
function hostName(text, zone) {
  const t = text.trim().toLowerCase();
  const bare = zone.slice(0, -1);
  if (t === '' || t === '@') return zone;
  if (t.endsWith('.')) return t;
  if (t === bare || t.endsWith('.' + bare)) return t + '.';
  return t + '.' + zone;
}

for (const form of document.querySelectorAll('form.record-form')) {
  const type = form.querySelector('select.record-type');
  const hint = form.querySelector('#data-hint');
  const sync = () => {
    for (const set of form.querySelectorAll('fieldset.type-fields')) {
      const on = set.getAttribute('data-types') === type.value;
      set.hidden = !on;
      set.disabled = !on;
    }
    const option = type.selectedOptions[0];
    if (hint && option) hint.textContent = option.getAttribute('data-hint') || '';
  };
  type.addEventListener('change', sync);
  sync();
  const host = form.querySelector('input[data-zone]');
  const out = form.querySelector('output.host-name');
  if (host && out) {
    const zone = host.getAttribute('data-zone');
    host.addEventListener('input', () => {
      const name = hostName(host.value, zone);
      out.textContent =
        name === zone || name.endsWith('.' + zone)
          ? 'This record will be for ' + name
          : name + ' is not inside the zone ' + zone;
    });
  }
}

// CAA form: the wildcard CA list applies only when "Only the CAs chosen here" is picked.
for (const form of document.querySelectorAll('form.caa-form')) {
  const own = form.querySelector('#wildcard-own');
  const sync = () => {
    for (const el of form.querySelectorAll('[name^="wild-"], [name="wild_other"]'))
      el.disabled = !own.checked;
  };
  for (const radio of form.querySelectorAll('input[name="wildcard"]'))
    radio.addEventListener('change', sync);
  if (own) sync();
}

// Live progress (a Pi booting): a section with data-poll-url redraws its steps from a JSON
// endpoint every second, and reloads the page once the work is done. Without this script the
// page offers a refresh link instead.
const progress = document.querySelector('[data-poll-url]');
if (progress) {
  const url = progress.getAttribute('data-poll-url');
  const text = progress.querySelector('[data-progress]');
  const tick = async () => {
    try {
      const res = await fetch(url, {
        headers: { accept: 'application/json' },
        credentials: 'same-origin',
      });
      if (!res.ok) throw new Error(String(res.status));
      const p = await res.json();
      for (const step of p.steps) {
        const li = progress.querySelector(`[data-step="${step.phase}"]`);
        if (li) li.className = step.state;
      }
      if (text && p.progress) text.textContent = p.progress;
      if (p.done) {
        window.location.reload();
        return;
      }
    } catch {
      // A missed poll is retried at the next tick.
    }
    setTimeout(tick, 1000);
  };
  setTimeout(tick, 1000);
}
