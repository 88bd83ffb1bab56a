// The web editor's script. Everything works without it (plain forms, POST
// then redirect); it only makes things quicker:
// - search results as you type (the same /search page, results only);
// - chart rows, paragraphs and FAQs reordered by dragging (each drop is the
//   same "move" form the Up/Down buttons post, sent once per step);
// - a warning before leaving a page with unsaved typing.
(function () {
  "use strict";

  // Search as you type.
  var box = document.querySelector("[data-live-search]");
  var timer = null;
  var asked = 0;
  if (box) {
    box.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        var q = box.value.trim();
        if (q.length < 2) { return; }
        var mine = ++asked;
        fetch("/search?partial=1&q=" + encodeURIComponent(q), { headers: { "Accept": "text/html" } })
          .then(function (r) { return r.text(); })
          .then(function (html) {
            if (mine !== asked) { return; }
            var results = document.getElementById("results");
            if (!results) {
              var main = document.getElementById("main");
              main.innerHTML = "<h1>Search</h1>";
              results = document.createElement("div");
              main.appendChild(results);
            }
            results.outerHTML = html;
          })
          .catch(function () { /* the Search button still works */ });
      }, 150);
    });
  }

  // Unsaved typing: ask before leaving.
  var dirty = new Set();
  document.querySelectorAll("form.entry").forEach(function (form) {
    form.addEventListener("input", function () { dirty.add(form); });
    form.addEventListener("submit", function () { dirty.clear(); });
  });
  document.querySelectorAll("form").forEach(function (form) {
    form.addEventListener("submit", function () { dirty.clear(); });
  });
  window.addEventListener("beforeunload", function (e) {
    if (dirty.size > 0) { e.preventDefault(); e.returnValue = ""; }
  });

  // Drag to reorder: posts the Up/Down forms, one per place moved.
  var csrfInput = document.querySelector("input[name=csrf]");
  document.querySelectorAll("[data-sortable]").forEach(function (list) {
    var dragged = null;
    Array.prototype.forEach.call(list.children, function (item) {
      item.setAttribute("draggable", "true");
      item.addEventListener("dragstart", function (e) {
        if (e.target !== item) { return; }
        dragged = item; item.classList.add("dragging");
      });
      item.addEventListener("dragend", function () { item.classList.remove("dragging"); });
      item.addEventListener("dragover", function (e) { if (dragged) { e.preventDefault(); } });
      item.addEventListener("drop", function (e) {
        e.preventDefault();
        if (!dragged || dragged === item || !csrfInput) { return; }
        var items = Array.prototype.slice.call(list.children);
        var from = items.indexOf(dragged), to = items.indexOf(item);
        var steps = Math.abs(to - from), dir = to > from ? "down" : "up";
        var body = new URLSearchParams({ csrf: csrfInput.value, kind: dragged.dataset.kind, id: dragged.dataset.id, to: dir });
        var chain = Promise.resolve();
        for (var i = 0; i < steps; i++) {
          chain = chain.then(function () {
            return fetch("/move", { method: "POST", body: body, redirect: "manual", credentials: "same-origin" });
          });
        }
        chain.then(function () { window.location.reload(); });
      });
    });
  });
})();
