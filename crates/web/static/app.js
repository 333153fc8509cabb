// antt page behaviour. No inline scripts (the content security policy forbids them): pages
// mark elements with data attributes and this file wires them up.
(function () {
  "use strict";
  // htmx requests carry the session's CSRF token.
  document.addEventListener("htmx:configRequest", function (e) {
    var token = document.body.dataset.csrf;
    if (token) { e.detail.headers["X-CSRF-Token"] = token; e.detail.parameters["_csrf"] = token; }
  });
  // <button data-confirm="…"> asks before submitting.
  document.addEventListener("click", function (e) {
    var el = e.target.closest("[data-confirm]");
    if (el && !window.confirm(el.dataset.confirm)) { e.preventDefault(); }
  });
  // <canvas data-chart='{"type":…,"data":…}'> draws a Chart.js chart.
  function drawCharts(root) {
    if (!window.Chart) { return; }
    root.querySelectorAll("canvas[data-chart]").forEach(function (c) {
      if (c.dataset.drawn) { return; }
      c.dataset.drawn = "1";
      var spec = JSON.parse(c.dataset.chart);
      spec.options = Object.assign({ responsive: true, animation: false, plugins: { legend: { position: "bottom" } } }, spec.options || {});
      new window.Chart(c, spec);
    });
  }
  document.addEventListener("DOMContentLoaded", function () { drawCharts(document); });
  document.addEventListener("htmx:afterSwap", function (e) { drawCharts(e.target); });
  // <button data-print> prints the page.
  document.addEventListener("click", function (e) {
    if (e.target.closest("[data-print]")) { window.print(); }
  });
})();
// <input type="file" data-max-bytes="…" data-max-label="10 MB"> warns before a large upload.
(function () {
  "use strict";
  document.addEventListener("change", function (e) {
    var input = e.target;
    if (!input.matches || !input.matches("input[type=file][data-max-bytes]")) { return; }
    var max = parseInt(input.dataset.maxBytes, 10);
    var file = input.files && input.files[0];
    var tooBig = file && max && file.size > max;
    input.setCustomValidity(tooBig ? "Tệp “" + file.name + "” vượt quá giới hạn " + input.dataset.maxLabel + "." : "");
    if (tooBig) { input.reportValidity(); }
  });
})();
