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
