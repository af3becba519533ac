// The search box as people use it: suggestions that show (completions of the word being typed, and the best
// documents so far, whose titles open them), a keyboard to move through them, and results that follow the
// typing. Without JavaScript the form submits as usual; nothing here is needed to search.
(function () {
  "use strict";
  var input = document.getElementById("q");
  var list = document.getElementById("suggestions");
  var form = input && input.form;
  var main = document.getElementById("main");
  if (!input || !list || !form || !main || !window.fetch || !window.DOMParser) { return; }
  var SUGGEST_DELAY = 120, RESULTS_DELAY = 300, MIN_CHARS = 2;
  var suggestTimer = null, resultsTimer = null, suggestSeq = 0, resultsSeq = 0, active = -1;
  var lastResults = input.value.trim();

  function searchUrl() {
    var params = new URLSearchParams(new FormData(form));
    params.set("q", input.value.trim());
    return form.getAttribute("action") + "?" + params.toString();
  }

  function options() { return list.querySelectorAll("[role=option]"); }

  function close() {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  }

  function select(index) {
    var items = options();
    if (!items.length) { return; }
    active = (index + items.length) % items.length;
    for (var i = 0; i < items.length; i++) { items[i].setAttribute("aria-selected", i === active ? "true" : "false"); }
    input.setAttribute("aria-activedescendant", items[active].id);
    items[active].scrollIntoView({ block: "nearest" });
  }

  function choose(item) {
    if (item.dataset.url) { window.location.assign(item.dataset.url); return; }
    input.value = item.dataset.query;
    close();
    form.submit();
  }

  function option(id, text, className, data) {
    var item = document.createElement("li");
    item.id = id;
    item.setAttribute("role", "option");
    item.setAttribute("aria-selected", "false");
    item.className = className;
    item.textContent = text;  // never parsed as HTML
    Object.keys(data).forEach(function (key) { item.dataset[key] = data[key]; });
    item.addEventListener("mousedown", function (event) { event.preventDefault(); choose(item); });
    return item;
  }

  function render(data) {
    while (list.firstChild) { list.removeChild(list.firstChild); }
    data.completions.forEach(function (text, i) {
      list.appendChild(option("suggestion-" + i, text, "completion", { query: text }));
    });
    data.documents.forEach(function (doc, i) {
      list.appendChild(option("document-" + i, doc.title || doc.id, "document", { url: doc.url }));
    });
    active = -1;
    if (options().length && document.activeElement === input) {
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
    } else {
      close();
    }
  }

  function suggest() {
    var q = input.value;
    if (q.trim().length < MIN_CHARS) { close(); return; }
    var seq = ++suggestSeq;
    fetch("/api/suggest?per_page=5&q=" + encodeURIComponent(q), { headers: { "Accept": "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) { if (data && data.ok && seq === suggestSeq) { render(data); } })
      .catch(function () { /* suggestions are optional */ });
  }

  function showResults() {
    var q = input.value.trim();
    if (q.length < MIN_CHARS || q === lastResults) { return; }
    var url = searchUrl(), seq = ++resultsSeq;
    fetch(url, { headers: { "Accept": "text/html" } })
      .then(function (response) { return response.text(); })
      .then(function (html) {
        if (seq !== resultsSeq || input.value.trim() !== q) { return; }
        var page = new DOMParser().parseFromString(html, "text/html");
        var fresh = page.getElementById("main");
        if (!fresh) { return; }
        main.replaceChildren.apply(main, Array.prototype.slice.call(fresh.childNodes));
        document.title = page.title;
        lastResults = q;
        window.history.replaceState(null, "", url);
      })
      .catch(function () { /* the form still works */ });
  }

  input.addEventListener("input", function () {
    clearTimeout(suggestTimer);
    clearTimeout(resultsTimer);
    suggestTimer = setTimeout(suggest, SUGGEST_DELAY);
    resultsTimer = setTimeout(showResults, RESULTS_DELAY);
  });
  input.addEventListener("keydown", function (event) {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (list.hidden) { if (options().length) { list.hidden = false; input.setAttribute("aria-expanded", "true"); } }
      else { select(active + (event.key === "ArrowDown" ? 1 : -1)); }
      event.preventDefault();
    } else if (event.key === "Enter" && !list.hidden && active >= 0) {
      event.preventDefault();
      choose(options()[active]);
    } else if (event.key === "Escape" && !list.hidden) {
      event.preventDefault();
      close();
    }
  });
  input.addEventListener("blur", close);
  var tooLong = document.getElementById("too-long");
  input.addEventListener("paste", function (event) {
    // The box's maxlength cuts a longer paste silently: say so.
    var pasted = (event.clipboardData || window.clipboardData).getData("text") || "";
    var room = input.maxLength - input.value.length + (input.selectionEnd - input.selectionStart);
    if (tooLong && input.maxLength > 0) { tooLong.hidden = pasted.length <= room; }
  });
  form.addEventListener("submit", function () { clearTimeout(resultsTimer); resultsSeq++; close(); });
  form.addEventListener("change", function (event) {
    // The language box applies as soon as it is ticked.
    if (event.target !== input) { lastResults = ""; showResults(); }
  });
})();
