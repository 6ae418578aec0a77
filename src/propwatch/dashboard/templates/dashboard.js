// propwatch corpus report: sorting and filtering the article table, and the per-source and per-month charts that
// redraw when a technique is chosen. Everything comes from the table's own cells and data attributes (written,
// escaped, by the report); text goes back into the page with textContent only, never as markup. The intervals
// are those of propwatch/dashboard/data.py (rate_interval, t975), so the charts agree with the tables.
(function () {
  "use strict";
  var table = document.getElementById("t-articles");
  if (!table) { return; }
  var T975 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160, 2.145,
    2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042];
  var SOURCES_SHOWN = 20;
  var minGroup = Number(table.getAttribute("data-min-group")) || 5;
  var techniqueIds = table.getAttribute("data-techniques").split(" ");
  var body = table.tBodies[0];
  var articles = Array.prototype.map.call(body.rows, function (tr) {
    return {
      tr: tr,
      source: tr.getAttribute("data-source"),
      month: tr.getAttribute("data-month"),
      words: Number(tr.getAttribute("data-words")),
      counts: tr.getAttribute("data-counts").split(" ").map(Number),
      text: (tr.getAttribute("data-id") + " " + tr.cells[0].textContent + " " +
             tr.getAttribute("data-source")).toLowerCase()
    };
  });
  var byId = function (id) { return document.getElementById(id); };
  var controls = { technique: byId("f-technique"), search: byId("f-search"), source: byId("f-source"),
                   month: byId("f-month") };
  var shown = byId("shown");

  function t975(df) {
    if (df <= T975.length) { return T975[df - 1]; }
    var z = 1.959964;
    return z + (Math.pow(z, 3) + z) / (4 * df) + (5 * Math.pow(z, 5) + 16 * Math.pow(z, 3) + 3 * z) / (96 * df * df);
  }

  function spansOf(article, technique) {
    if (technique === "") { return article.counts.reduce(function (a, b) { return a + b; }, 0); }
    return article.counts[techniqueIds.indexOf(technique)];
  }

  // The rate per 1,000 words of a group and its 95% interval: articles are the units (data.py: rate_interval).
  function groupRate(members, technique) {
    var n = members.length, spans = 0, words = 0;
    members.forEach(function (a) { spans += spansOf(a, technique); words += a.words; });
    var rate = words > 0 ? spans / words : 0, interval = null;
    if (n >= minGroup && n >= 2 && words > 0) {
      var residuals = 0;
      members.forEach(function (a) { var r = spansOf(a, technique) - rate * a.words; residuals += r * r; });
      var half = t975(n - 1) * Math.sqrt(n / (n - 1) * residuals) / words;
      interval = [Math.max(0, 1000 * (rate - half)), 1000 * (rate + half)];
    }
    return { n: n, rate: 1000 * rate, interval: interval };
  }

  function drawBars(list, key, technique) {
    var groups = {};
    articles.forEach(function (a) {
      var name = a[key];
      if (name) { (groups[name] = groups[name] || []).push(a); }
    });
    var names = Object.keys(groups);
    if (key === "month") { names.sort(); } else {
      names.sort(function (x, y) { return groups[y].length - groups[x].length || (x < y ? -1 : x > y ? 1 : 0); });
      names = names.slice(0, SOURCES_SHOWN);
    }
    var stats = names.map(function (name) { var s = groupRate(groups[name], technique); s.name = name; return s; });
    var top = Math.max.apply(null, stats.map(function (s) { return s.interval ? s.interval[1] : s.rate; }).concat([1e-9]));
    while (list.firstChild) { list.removeChild(list.firstChild); }
    stats.forEach(function (s) {
      var li = document.createElement("li");
      var label = document.createElement("span"), track = document.createElement("span");
      var bar = document.createElement("span"), value = document.createElement("span");
      label.className = "label"; track.className = "track"; bar.className = "bar"; value.className = "val";
      label.textContent = s.name + " (" + s.n + ")";
      bar.style.width = (100 * s.rate / top).toFixed(2) + "%";
      track.appendChild(bar);
      if (s.interval) {
        var ci = document.createElement("span");
        ci.className = "ci";
        ci.style.left = (100 * s.interval[0] / top).toFixed(2) + "%";
        ci.style.width = (100 * (s.interval[1] - s.interval[0]) / top).toFixed(2) + "%";
        track.appendChild(ci);
        value.textContent = s.rate.toFixed(1) + " (" + s.interval[0].toFixed(1) + "–" + s.interval[1].toFixed(1) + ")";
      } else {
        li.className = "muted";
        value.textContent = s.rate.toFixed(1) + " (too few)";
      }
      track.setAttribute("aria-hidden", "true");
      li.setAttribute("data-group", s.name);
      li.title = s.n + " articles" + (s.interval ? "" : ": fewer than " + minGroup + ", no interval");
      li.appendChild(label); li.appendChild(track); li.appendChild(value);
      list.appendChild(li);
    });
  }

  function apply() {
    var technique = controls.technique ? controls.technique.value : "";
    var query = controls.search ? controls.search.value.trim().toLowerCase() : "";
    var source = controls.source ? controls.source.value : "";
    var month = controls.month ? controls.month.value : "";
    var visible = 0;
    articles.forEach(function (a) {
      var ok = (!technique || spansOf(a, technique) > 0) && (!query || a.text.indexOf(query) !== -1) &&
               (!source || a.source === source) && (!month || a.month === month);
      a.tr.hidden = !ok;
      if (ok) { visible += 1; }
    });
    shown.textContent = visible === articles.length ? articles.length + " articles"
      : visible + " of " + articles.length + " articles";
    var which = technique ? controls.technique.options[controls.technique.selectedIndex].textContent : "all techniques";
    ["source", "month"].forEach(function (key) {
      var list = byId("bars-" + key);
      if (list) {
        drawBars(list, key, technique);
        byId("bars-" + key + "-title").querySelector(".which").textContent = which;
      }
    });
  }

  function sortBy(th) {
    var column = Array.prototype.indexOf.call(th.parentNode.children, th);
    var numeric = th.classList.contains("n");
    var descending = th.getAttribute("aria-sort") !== "descending";
    Array.prototype.forEach.call(th.parentNode.children, function (other) { other.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", descending ? "descending" : "ascending");
    var keyed = articles.map(function (a, i) {
      var raw = a.tr.cells[column].getAttribute("data-value");
      return { a: a, i: i, v: numeric ? Number(raw) : raw.toLowerCase() };
    });
    keyed.sort(function (x, y) {
      var c = x.v < y.v ? -1 : x.v > y.v ? 1 : 0;
      return (descending ? -c : c) || x.i - y.i;
    });
    articles = keyed.map(function (k) { return k.a; });
    articles.forEach(function (a) { body.appendChild(a.tr); });
  }

  Array.prototype.forEach.call(table.tHead.querySelectorAll("th button"), function (button) {
    button.addEventListener("click", function () { sortBy(button.parentNode); });
  });
  Object.keys(controls).forEach(function (k) {
    if (controls[k]) { controls[k].addEventListener("input", apply); controls[k].addEventListener("change", apply); }
  });
  byId("explore-charts").hidden = false;
  apply();
}());
