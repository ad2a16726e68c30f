// The product page: each ingredient's positive-list select gets a search box. Typing narrows the select to the
// active entries whose name has every word typed (asked from /api/v1/positive-list/), and the chosen entry is shown
// with its group under the select. Without JavaScript the select lists every entry and works the same.
(function () {
  "use strict";
  var selects = document.querySelectorAll("select[data-positive-search]");
  if (!selects.length || !window.fetch) {
    return;
  }
  var labels = document.getElementById("positive-list-labels");
  var source = (labels && labels.dataset.url) || "/api/v1/positive-list/";
  var placeholder = labels ? labels.dataset.placeholder : "";
  var none = labels ? labels.dataset.none : "";
  var chosenText = labels ? labels.dataset.chosen : "";
  var found = labels ? labels.dataset.found : "%s";

  function show(select, note) {
    var option = select.options[select.selectedIndex];
    if (!option || !option.value) {
      note.textContent = "";
      return;
    }
    note.textContent = chosenText + " " + option.textContent + (option.dataset.group ? " — " + option.dataset.group : "");
  }

  Array.prototype.forEach.call(selects, function (select) {
    var search = document.createElement("input");
    search.type = "search";
    search.placeholder = placeholder;
    search.setAttribute("aria-label", placeholder);
    search.className = "positive-search";
    var note = document.createElement("small");
    note.className = "positive-chosen";
    note.setAttribute("aria-live", "polite");
    select.parentNode.insertBefore(search, select);
    select.parentNode.insertBefore(note, select.nextSibling);
    show(select, note);
    select.addEventListener("change", function () {
      show(select, note);
    });
    var timer = null;
    search.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(function () {
        var query = search.value.trim();
        fetch(source + "?q=" + encodeURIComponent(query), { credentials: "same-origin", headers: { Accept: "application/json" } })
          .then(function (response) {
            return response.ok ? response.json() : [];
          })
          .then(function (entries) {
            var current = select.value;
            var keep = current ? select.querySelector('option[value="' + current + '"]') : null;
            while (select.options.length > 1) {
              select.remove(1);
            }
            entries.forEach(function (entry) {
              var option = document.createElement("option");
              option.value = String(entry.id);
              option.textContent = entry.name;
              option.dataset.group = entry.group_name;
              select.appendChild(option);
            });
            if (keep && !select.querySelector('option[value="' + current + '"]')) {
              select.appendChild(keep);
            }
            select.value = current;
            if (!entries.length) {
              note.textContent = none;
            } else if (!select.value) {
              note.textContent = found.replace("%s", String(entries.length));
            } else {
              show(select, note);
            }
          })
          .catch(function () {});
      }, 250);
    });
  });
})();
