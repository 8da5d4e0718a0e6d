// Monitoring charts: each [data-chart] element names a JSON URL of columns; uPlot draws them.
// No inline script: the page carries only the URL (the strict CSP allows scripts from 'self').
'use strict';

(function () {
  const colours = { latency: '#2563eb', up: '#16a34a', value: '#b45309' };

  async function draw(el) {
    const note = el.querySelector('.chart-fallback');
    if (typeof window.uPlot !== 'function') return;
    let d;
    try {
      const res = await fetch(el.getAttribute('data-chart'), {
        credentials: 'same-origin',
        headers: { accept: 'application/json' },
      });
      if (!res.ok) throw new Error(String(res.status));
      d = await res.json();
    } catch {
      if (note) note.textContent = 'The chart could not be loaded.';
      return;
    }
    if (d.x.length === 0) {
      if (note) note.textContent = 'No measurements in this range yet.';
      return;
    }
    if (note) note.remove();
    const series = [
      {},
      { label: 'Response (ms)', stroke: colours.latency, scale: 'ms', width: 1 },
      { label: 'Available (%)', stroke: colours.up, scale: '%', width: 1 },
    ];
    const data = [d.x, d.latency, d.up];
    const axes = [
      {},
      { scale: 'ms', label: 'ms' },
      { scale: '%', side: 1, label: '%', grid: { show: false } },
    ];
    if (d.value.some((v) => v !== null)) {
      series.push({ label: 'Value', stroke: colours.value, scale: 'value', width: 1 });
      data.push(d.value);
    }
    const width = Math.max(320, Math.min(el.clientWidth || 720, 1100));
    el.classList.add('drawn');
    new window.uPlot(
      { width, height: 260, series, axes, scales: { '%': { range: [0, 100] } } },
      data,
      el,
    );
  }

  for (const el of document.querySelectorAll('[data-chart]')) void draw(el);
})();
