// Suggestions as you type: titles of the best matches, offered through the search box's <datalist>.
// The page works the same without it.
(function () {
  "use strict";
  var input = document.getElementById("q");
  var list = document.getElementById("suggestions");
  if (!input || !list || !window.fetch) { return; }
  var timer = null;
  var last = "";
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(suggest, 200);
  });
  function suggest() {
    var q = input.value.trim();
    if (q.length < 3 || q === last) { return; }
    last = q;
    fetch("/api/search?per_page=5&q=" + encodeURIComponent(q), { headers: { "Accept": "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data || !data.ok || input.value.trim() !== q) { return; }
        while (list.firstChild) { list.removeChild(list.firstChild); }
        data.hits.forEach(function (hit) {
          var option = document.createElement("option");
          option.value = hit.title;  // textContent-like: never parsed as HTML
          list.appendChild(option);
        });
      })
      .catch(function () { /* suggestions are optional */ });
  }
})();
