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

// Live progress (a Pi booting): a section with data-poll-url redraws its steps from a JSON
// endpoint every second, and reloads the page once the work is done. Without this script the
// page refreshes itself instead (a <noscript> meta refresh).
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
