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
      // On a phone a bar chart lies on its side, each unit a readable row of its own.
      if (spec.type === "bar" && window.matchMedia("(max-width: 640px)").matches) {
        var rows = (spec.data && spec.data.labels ? spec.data.labels.length : 1);
        var box = document.createElement("div");
        box.className = "chart-box";
        box.style.position = "relative";
        box.style.height = Math.max(16, rows * 2.2 + 6) + "rem";
        c.parentNode.insertBefore(box, c);
        box.appendChild(c);
        spec.options.indexAxis = "y";
        var scales = spec.options.scales;
        if (scales) { spec.options.scales = { x: scales.y, y: scales.x }; }
        spec.options.maintainAspectRatio = false;
      }
      new window.Chart(c, spec);
    });
  }
  document.addEventListener("DOMContentLoaded", function () { drawCharts(document); });
  // Regions that scroll sideways (wide tables, and on a phone the breadcrumb and the tabs) can
  // be scrolled from the keyboard too.
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".table-wrap, nav.breadcrumb, nav.tabs").forEach(function (el) {
      if (!el.hasAttribute("tabindex")) { el.tabIndex = 0; }
    });
  });
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
// After a refused submit: the errors of the page (next to their fields, or of a whole form)
// listed in a banner at the top of the content, each linking to its field, and the focus
// moved to the banner so a screen reader and a phone user start there.
(function () {
  "use strict";
  var seq = 0;
  function labelOf(field, fallback) {
    var label = field && field.closest("label");
    var legend = field && field.closest("fieldset") && field.closest("fieldset").querySelector("legend");
    var text = (label && label.firstChild && label.firstChild.textContent) || (legend && legend.textContent) || fallback || "";
    return text.replace(/\s*\*\s*$/, "").trim();
  }
  document.addEventListener("DOMContentLoaded", function () {
    var main = document.getElementById("main");
    // Only pages with a form: an error page has nothing to correct.
    if (!main || !main.querySelector("form[method=post]") || document.getElementById("error-summary")) { return; }
    var items = [];
    main.querySelectorAll(".field-error, p.error, div.error").forEach(function (el) {
      if (!el.textContent.trim() || el.closest("#error-summary")) { return; }
      var field = null;
      if (el.id) { field = main.querySelector("[aria-describedby~='" + el.id + "']"); }
      if (!field) {
        var holder = el.closest("label, fieldset");
        field = holder && holder.querySelector("input:not([type=hidden]), select, textarea");
      }
      var target = field || el;
      if (!target.id) { seq += 1; target.id = "err-target-" + seq; }
      items.push({ href: "#" + target.id, text: (field ? labelOf(field, "") + ": " : "") + el.textContent.trim() });
    });
    if (!items.length) { return; }
    var box = document.createElement("div");
    box.id = "error-summary";
    box.className = "error-summary";
    box.setAttribute("role", "alert");
    box.tabIndex = -1;
    var h = document.createElement("h2");
    h.textContent = items.length === 1 ? "Chưa lưu được: có 1 lỗi cần sửa" : "Chưa lưu được: có " + items.length + " lỗi cần sửa";
    box.appendChild(h);
    var ul = document.createElement("ul");
    items.forEach(function (it) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = it.href;
      a.textContent = it.text;
      li.appendChild(a);
      ul.appendChild(li);
    });
    box.appendChild(ul);
    box.addEventListener("click", function (e) {
      var a = e.target.closest("a[href^='#']");
      var target = a && document.getElementById(a.getAttribute("href").slice(1));
      if (target) { e.preventDefault(); target.scrollIntoView({ block: "center" }); target.focus(); }
    });
    var after = main.querySelector(".flash");
    main.insertBefore(box, after ? after.nextSibling : main.firstChild);
    box.focus();
  });
})();
// <input|textarea maxlength="N" data-count>: how many characters are left, as one types.
(function () {
  "use strict";
  function update(field) {
    var out = field.countOutput;
    var max = parseInt(field.getAttribute("maxlength"), 10);
    var n = Array.from(field.value).length;
    out.textContent = n.toLocaleString("vi-VN") + "/" + max.toLocaleString("vi-VN") + " ký tự";
    out.classList.toggle("bad", n >= max);
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[maxlength][data-count]").forEach(function (field) {
      var out = document.createElement("span");
      out.className = "counter";
      out.setAttribute("aria-live", "polite");
      if (!field.id) { field.id = "count-" + Math.random().toString(36).slice(2); }
      out.id = field.id + "-count";
      var described = field.getAttribute("aria-describedby");
      field.setAttribute("aria-describedby", (described ? described + " " : "") + out.id);
      field.insertAdjacentElement("afterend", out);
      field.countOutput = out;
      update(field);
      field.addEventListener("input", function () { update(field); });
    });
  });
})();
// <form data-draft="key">: what is typed is kept in this browser (localStorage) until the form
// is answered, so a dropped connection or a closed tab loses nothing; coming back to the form,
// the draft is offered back. Passwords and the CSRF token are never kept.
(function () {
  "use strict";
  var PREFIX = "antt-draft:";
  function fields(form) {
    return Array.from(form.elements).filter(function (el) {
      return el.name && el.name !== "_csrf" && el.type !== "password" && el.type !== "file" && el.type !== "hidden" && el.type !== "submit";
    });
  }
  function save(form) {
    var values = fields(form).map(function (el) {
      return [el.name, el.type === "checkbox" || el.type === "radio" ? (el.checked ? el.value : null) : el.value];
    });
    try { localStorage.setItem(PREFIX + form.dataset.draft, JSON.stringify({ at: Date.now(), values: values, sent: false })); } catch (e) { /* storage full or off */ }
  }
  function restore(form, draft) {
    var byName = {};
    fields(form).forEach(function (el) { (byName[el.name] = byName[el.name] || []).push(el); });
    var used = {};
    draft.values.forEach(function (pair) {
      var list = byName[pair[0]] || [];
      var i = used[pair[0]] || 0;
      var el = list[i];
      used[pair[0]] = i + 1;
      if (!el) { return; }
      if (el.type === "checkbox" || el.type === "radio") { el.checked = pair[1] !== null; } else { el.value = pair[1]; }
      el.dispatchEvent(new Event("input", { bubbles: true }));
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    var flash = document.querySelector(".flash");
    document.querySelectorAll("form[data-draft]").forEach(function (form) {
      var key = PREFIX + form.dataset.draft;
      var stored = null;
      try { stored = JSON.parse(localStorage.getItem(key) || "null"); } catch (e) { stored = null; }
      // A page answering a save of this form: the draft is done with.
      // The page answering a save of this form (its flash), or the form shown again with its
      // errors and everything typed: the draft is done with.
      if ((flash && stored && stored.sent) || form.querySelector("[aria-invalid=true]")) { localStorage.removeItem(key); stored = null; }
      if (stored && stored.values && stored.values.length) {
        var note = document.createElement("p");
        note.className = "notice draft-note";
        note.textContent = "Có bản nháp chưa gửi của biểu mẫu này (lưu trong trình duyệt lúc " + new Date(stored.at).toLocaleString("vi-VN") + "). ";
        var use = document.createElement("button");
        use.type = "button";
        use.className = "secondary";
        use.textContent = "Khôi phục bản nháp";
        use.addEventListener("click", function () { restore(form, stored); note.remove(); });
        var drop = document.createElement("button");
        drop.type = "button";
        drop.className = "link";
        drop.textContent = "Bỏ bản nháp";
        drop.addEventListener("click", function () { localStorage.removeItem(key); note.remove(); });
        note.appendChild(use);
        note.appendChild(document.createTextNode(" "));
        note.appendChild(drop);
        form.insertAdjacentElement("beforebegin", note);
      }
      form.addEventListener("submit", function () {
        try {
          var d = JSON.parse(localStorage.getItem(key) || "null");
          if (d) { d.sent = true; localStorage.setItem(key, JSON.stringify(d)); }
        } catch (e) { /* storage off */ }
      });
      form.addEventListener("input", function () { save(form); });
      form.addEventListener("change", function () { save(form); });
    });
  });
})();
