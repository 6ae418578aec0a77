/* propwatch web app: progressive enhancement only. Every page works without this file; with it the result
   page gets live filters (confidence slider, technique toggles), rich tooltips on hover, focus and tap, a
   strip and legend that follow the filters, and the "Who says so" and "Cast" panels: pointing at, focusing
   or pressing a source marks its parts in the text; pressing an actor marks its mentions and evidence. Article data is read from a JSON block and only ever written
   into the page with textContent, never as HTML. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  function ready(fn) {
    if (document.readyState !== "loading") fn();
    else document.addEventListener("DOMContentLoaded", fn);
  }

  ready(function () {
    busyButtons();
    resultPage();
    sourcesAndCast();
    copyLink();
  });

  /* Say "Analysing…" while the server works, so nobody presses twice. */
  function busyButtons() {
    var forms = document.querySelectorAll('form[action="/analyze"]');
    forms.forEach(function (form) {
      form.addEventListener("submit", function () {
        var button = form.querySelector('button[type="submit"]');
        if (!button) return;
        button.dataset.label = button.textContent;
        button.textContent = "Analysing…";
        button.disabled = true;
      });
    });
    window.addEventListener("pageshow", function () {
      document.querySelectorAll("button[data-label]").forEach(function (button) {
        button.textContent = button.dataset.label;
        button.disabled = false;
      });
    });
  }

  /* The article's segments carry layer keys (data-a: "a3s" source, "a3c" cue, "a3x" content of attribution 3;
     data-m: "m2" a mention of actor 2; data-e: "e2" a sentence that casts actor 2; data-as: the keys that start
     there, where a label goes). Only classes change here; nothing from the article is written into the page.
     Keys are built from integer indices, so the selectors below never hold article text. */
  function sourcesAndCast() {
    var article = document.querySelector(".article");
    var entries = Array.prototype.slice.call(document.querySelectorAll("button.entry[data-attribution]"));
    var actors = Array.prototype.slice.call(document.querySelectorAll("button.entry[data-actor]"));
    if (!article || !(entries.length || actors.length)) return;

    function toggle(attr, key, cls, on) {
      article.querySelectorAll("[" + attr + '~="' + key + '"]').forEach(function (node) {
        node.classList.toggle(cls, on);
      });
    }
    function attribution(i, on) {
      ["s", "c", "x"].forEach(function (k) {
        toggle("data-a", "a" + i + k, "at-" + k, on);
        toggle("data-as", "a" + i + k, "lb-" + k, on);
        toggle("data-ae", "a" + i + k, "le-" + k, on);
      });
    }
    function actor(j, on) {
      toggle("data-m", "m" + j, "ac-m", on);
      toggle("data-e", "e" + j, "ac-e", on);
      toggle("data-as", "e" + j, "lb-e", on);
    }
    function pressed(button) {
      return button.getAttribute("aria-pressed") === "true";
    }
    /* Scroll the first mark into view when none is on screen (the panel stays put beside the article). */
    function reveal(selector) {
      var nodes = article.querySelectorAll(selector);
      if (!nodes.length) return;
      for (var k = 0; k < nodes.length; k++) {
        var r = nodes[k].getBoundingClientRect();
        if (r.bottom > 0 && r.top < window.innerHeight) return;
      }
      nodes[0].scrollIntoView({ block: "center" });
    }

    entries.forEach(function (button) {
      var i = +button.dataset.attribution;
      function preview(on) {
        button.classList.toggle("on", on);
        attribution(i, on || pressed(button));
      }
      button.addEventListener("mouseenter", function () { preview(true); });
      button.addEventListener("mouseleave", function () { preview(button === document.activeElement); });
      button.addEventListener("focus", function () { preview(true); });
      button.addEventListener("blur", function () { preview(false); });
      button.addEventListener("click", function () {
        var on = !pressed(button);
        entries.forEach(function (other) {
          if (other !== button && pressed(other)) {
            other.setAttribute("aria-pressed", "false");
            attribution(+other.dataset.attribution, false);
          }
        });
        button.setAttribute("aria-pressed", String(on));
        attribution(i, true);
        if (on) reveal('[data-a~="a' + i + 'c"]');
      });
    });

    actors.forEach(function (button) {
      var j = +button.dataset.actor;
      button.addEventListener("click", function () {
        var on = !pressed(button);
        actors.forEach(function (other) {
          if (other !== button && pressed(other)) {
            other.setAttribute("aria-pressed", "false");
            actor(+other.dataset.actor, false);
          }
        });
        button.setAttribute("aria-pressed", String(on));
        actor(j, on);
        if (on) reveal('[data-m~="m' + j + '"]');
      });
    });
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  /* The strip's shade from a sentence's score alone (server/view.py strip_level): darker is always higher. */
  function level(score, levels) {
    return Math.min(levels - 1, Math.floor(score * levels));
  }

  function resultPage() {
    var dataNode = document.getElementById("analysis-data");
    var article = document.querySelector(".article");
    if (!dataNode || !article) return;
    var data = JSON.parse(dataNode.textContent);
    var spans = data.spans;
    var marks = [], tags = [], openers = [];
    spans.forEach(function () { marks.push([]); tags.push([]); openers.push(null); });
    article.querySelectorAll("mark.hl[data-span]").forEach(function (m) {
      var i = +m.dataset.span;
      marks[i].push(m);
      if (m.hasAttribute("tabindex")) openers[i] = m;
      m.removeAttribute("title"); // the tooltip below replaces the browser's
    });
    article.querySelectorAll(".tag[data-span]").forEach(function (t) { tags[+t.dataset.span].push(t); });
    var pieces = article.querySelectorAll(".piece");
    var slider = document.getElementById("min-score");
    var output = document.getElementById("min-score-out");
    var strengths = Array.prototype.slice.call(document.querySelectorAll('#filters input[type="radio"][name="min_score"]'));
    var boxes = Array.prototype.slice.call(document.querySelectorAll('#filters input[name="t"]'));
    var bars = document.querySelectorAll(".strip a.bar");
    var form = document.getElementById("filters");
    var shown = spans.map(function () { return true; });

    /* The strength filter's chosen threshold (as written in the page, so the address keeps it exactly), or the
       slider's value for analyses without strengths. */
    function minimum() {
      var picked = strengths.filter(function (r) { return r.checked; })[0];
      if (picked) return picked.value;
      return slider ? slider.value : "0";
    }

    function apply() {
      var minText = minimum();
      var min = parseFloat(minText) || 0;
      var enabled = {};
      boxes.forEach(function (b) { enabled[b.value] = b.checked; });
      if (output) output.textContent = Math.round(min * 100) + "%";
      var counts = {}, total = 0;
      spans.forEach(function (s, i) {
        var on = enabled[s.technique] !== false && s.score >= min - 1e-9;
        shown[i] = on;
        marks[i].forEach(function (m) { m.classList.toggle("off", !on); });
        tags[i].forEach(function (t) { t.classList.toggle("off", !on); });
        if (openers[i]) openers[i].tabIndex = on ? 0 : -1;
        if (on) { counts[s.technique] = (counts[s.technique] || 0) + 1; total += 1; }
      });
      // Stack the underlines of the spans still shown, innermost nearest the text, with no gaps.
      pieces.forEach(function (piece) {
        var chain = [], node = piece.firstElementChild;
        while (node && node.matches("mark.hl")) { chain.push(node); node = node.firstElementChild; }
        var visible = chain.filter(function (m) { return !m.classList.contains("off"); });
        chain.forEach(function (m) { m.classList.remove("u1", "u2", "u3", "u4", "u5", "u6"); });
        visible.forEach(function (m, k) { m.classList.add("u" + Math.min(6, visible.length - k)); });
      });
      document.querySelectorAll("[data-count]").forEach(function (c) {
        c.textContent = counts[c.dataset.count] || 0;
      });
      var summary = document.getElementById("shown-spans");
      if (summary) summary.textContent = total === spans.length ? String(total) : total + " of " + spans.length;
      var flaggedCount = 0;
      data.sentences.forEach(function (sentence) {
        sentence.flagged = spans.some(function (s, i) {
          return shown[i] && s.start < sentence.end && s.end > sentence.start;
        });
        if (sentence.flagged) flaggedCount += 1;
      });
      bars.forEach(function (bar) {
        var sentence = data.sentences[+bar.dataset.sentence];
        var flagged = sentence.flagged;
        for (var k = 0; k < data.strip_levels; k++) bar.classList.remove("lv" + k);
        bar.classList.add("lv" + level(sentence.score, data.strip_levels));
        bar.classList.toggle("plain", !flagged);
        var rect = bar.querySelector("rect");
        if (rect) { rect.setAttribute("x", flagged ? "0" : "2.5"); rect.setAttribute("width", flagged ? "10" : "5"); }
        if (flagged) bar.removeAttribute("tabindex"); else bar.setAttribute("tabindex", "-1");
      });
      followFilters(counts, total, flaggedCount, min > 0 || boxes.some(function (b) { return !b.checked; }));
      remember(min > 0 ? minText : "", enabled);
    }

    /* The summary counts what the filters show (spans, density, sentences flagged, most used, mix), as the
       server draws it for the same filters. */
    function followFilters(counts, total, flaggedCount, filtered) {
      var set = function (id, value) { var n = document.getElementById(id); if (n) n.textContent = value; };
      set("spans-per-1000", data.words ? (Math.round(10000 * total / data.words) / 10).toFixed(1) : "0.0");
      set("flagged-sentences", flaggedCount + " of " + data.sentences.length);
      var note = document.getElementById("filter-note");
      if (note) note.hidden = !filtered;
      var order = Object.keys(data.techniques);
      var used = order.filter(function (t) { return counts[t]; });
      used.sort(function (a, b) { return (counts[b] - counts[a]) || (order.indexOf(a) - order.indexOf(b)); });
      var list = document.querySelector("#most-used .top-list");
      if (list) {
        list.textContent = "";
        used.slice(0, 3).forEach(function (t) {
          var li = el("li");
          li.appendChild(el("span", "chip t-" + t, data.techniques[t].short));
          li.appendChild(document.createTextNode(" "));
          li.appendChild(el("span", "name", data.techniques[t].name));
          li.appendChild(document.createTextNode(" "));
          li.appendChild(el("span", "n", "(" + counts[t] + ")"));
          list.appendChild(li);
        });
        var none = document.querySelector("#most-used .none-shown");
        if (none) none.hidden = used.length > 0;
      }
      var x = 0, parts = [];
      document.querySelectorAll(".mix rect[data-technique]").forEach(function (rect) {
        var t = rect.dataset.technique, n = counts[t] || 0, width = total ? 100 * n / total : 0;
        rect.setAttribute("x", String(x));
        rect.setAttribute("width", String(width));
        var title = rect.querySelector("title");
        if (title) title.textContent = data.techniques[t].name + ": " + n;
        if (n) parts.push(data.techniques[t].name + " " + n);
        x += width;
      });
      var mix = document.querySelector(".mix svg");
      if (mix) mix.setAttribute("aria-label", "Technique mix: " + (parts.length ? parts.join(", ") : "no span shown"));
    }

    /* Keep the filters in the address, the downloads and the permalink, as the no-script form would. */
    function remember(min, enabled) {
      var params = new URLSearchParams();
      if (min) params.set("min_score", min);
      var off = boxes.some(function (b) { return !b.checked; });
      if (off) {
        params.set("f", "1");
        boxes.forEach(function (b) { if (b.checked) params.append("t", b.value); });
      }
      var query = params.toString() ? "?" + params.toString() : "";
      ["download-json", "download-html", "download-csv"].forEach(function (id) {
        var a = document.getElementById(id);
        if (a) a.href = a.pathname + query;
      });
      if (window.history && history.replaceState) {
        history.replaceState(null, "", location.pathname + query + location.hash);
      }
    }

    if (slider) slider.addEventListener("input", apply);
    strengths.forEach(function (r) { r.addEventListener("change", apply); });
    boxes.forEach(function (b) { b.addEventListener("change", apply); });
    if (form) form.addEventListener("submit", function (e) { e.preventDefault(); apply(); });
    apply();

    /* Tooltips: every shown span under the pointer (innermost first), the focused span, or the tapped one. */
    var tip = document.getElementById("tip");
    var pinned = null;

    function covering(node) {
      var found = [];
      var m = node && node.closest ? node.closest("mark.hl") : null;
      while (m && article.contains(m)) {
        if (!m.classList.contains("off")) found.push(+m.dataset.span);
        m = m.parentElement ? m.parentElement.closest("mark.hl") : null;
      }
      return found;
    }

    function show(indexes, anchor) {
      if (!tip || !indexes.length) { hide(); return; }
      tip.textContent = "";
      indexes.forEach(function (i) { tip.appendChild(explain(spans[i], data.techniques[spans[i].technique])); });
      tip.hidden = false;
      var rects = anchor.getClientRects();
      var r = rects.length ? rects[0] : anchor.getBoundingClientRect();
      var width = tip.offsetWidth, height = tip.offsetHeight;
      var left = Math.max(8, Math.min(r.left, document.documentElement.clientWidth - width - 8));
      var top = r.bottom + 10;
      if (top + height > window.innerHeight - 8 && r.top - height - 10 > 8) top = r.top - height - 10;
      tip.style.left = left + window.scrollX + "px";
      tip.style.top = top + window.scrollY + "px";
    }

    function hide() {
      if (tip) tip.hidden = true;
    }

    function activate(i, on) {
      marks[i].forEach(function (m) { m.classList.toggle("active", on); });
    }

    article.addEventListener("mouseover", function (e) {
      if (pinned !== null) return;
      var tag = e.target.closest ? e.target.closest(".tag[data-span]") : null;
      if (tag && !tag.classList.contains("off")) { show([+tag.dataset.span], tag); return; }
      var found = covering(e.target);
      if (found.length) show(found, e.target.closest("mark.hl"));
    });
    article.addEventListener("mouseout", function (e) {
      if (pinned !== null) return;
      var to = e.relatedTarget;
      if (!to || !to.closest || !(to.closest("mark.hl:not(.off)") || to.closest(".tag"))) hide();
    });
    article.addEventListener("focusin", function (e) {
      var m = e.target.closest ? e.target.closest("mark.hl[data-span]") : null;
      if (!m) return;
      var i = +m.dataset.span;
      activate(i, true);
      show([i], m);
    });
    article.addEventListener("focusout", function (e) {
      var m = e.target.closest ? e.target.closest("mark.hl[data-span]") : null;
      if (m) activate(+m.dataset.span, false);
      pinned = null;
      hide();
    });
    article.addEventListener("click", function (e) {
      var found = covering(e.target);
      if (!found.length) { pinned = null; hide(); return; }
      pinned = found[0];
      show(found, e.target.closest("mark.hl"));
    });
    document.addEventListener("keydown", function (e) {
      if (e.key === "Escape") { pinned = null; hide(); }
    });
    document.addEventListener("click", function (e) {
      if (!article.contains(e.target)) { pinned = null; hide(); }
    });
    window.addEventListener("resize", hide);
  }

  /* -- reasons and sharing (result page) -------------------------------------------------------------------
     A span's tooltip: its technique, its strength (a three-step meter and words; the percentage only for
     analyses without strengths), the words that weighed most, annotated phrases like it, how often the model
     finds the technique, and its definition. Everything from the analysis goes in with textContent. */
  var STEPS = { weak: 1, moderate: 2, strong: 3 };

  function explain(s, t) {
    var entry = el("div", "entry t-" + s.technique);
    var head = el("div", "head");
    head.appendChild(el("span", "chip", t.short));
    head.appendChild(el("span", "name", t.name));
    entry.appendChild(head);
    var conf = el("div", "conf");
    if (s.strength) {
      var meter = el("span", "steps");
      for (var k = 1; k <= 3; k++) meter.appendChild(el("span", k <= STEPS[s.strength] ? "on" : ""));
      conf.appendChild(meter);
      conf.appendChild(el("span", "signal", s.signal.charAt(0).toUpperCase() + s.signal.slice(1)));
    } else {
      var bar = el("span", "bar");
      var fill = el("span");
      fill.style.width = Math.round(s.score * 100) + "%";
      bar.appendChild(fill);
      conf.appendChild(bar);
      conf.appendChild(el("span", "", s.signal));
    }
    entry.appendChild(conf);
    if (s.cues && s.cues.length) {
      var cues = el("p", "cues", "Words that weighed most: ");
      s.cues.forEach(function (c, k) {
        if (k) cues.appendChild(document.createTextNode(", "));
        cues.appendChild(el("strong", "", c));
      });
      entry.appendChild(cues);
    }
    if (s.examples && s.examples.length) {
      entry.appendChild(el("p", "similar", "Annotators marked similar phrases:"));
      var list = el("ul", "examples");
      s.examples.forEach(function (e) {
        var li = el("li", "", "«" + (e[0] ? "…" + e[0] + " " : ""));
        li.appendChild(el("strong", "", e[1]));
        li.appendChild(document.createTextNode((e[2] ? " " + e[2] + "…" : "") + "»"));
        list.appendChild(li);
      });
      entry.appendChild(list);
    }
    if (t.reliability) entry.appendChild(el("p", "rel", t.reliability));
    entry.appendChild(el("p", "def", t.definition));
    if (!(s.examples && s.examples.length)) entry.appendChild(el("p", "ex", "Example: " + t.example));
    if (s.strength) entry.appendChild(el("p", "detail", s.detail));
    return entry;
  }

  /* Copy the address of the page as shown (its filters included). The clipboard API needs a secure context
     (https or loopback); elsewhere the link is selected in a field for the reader to copy. */
  function copyLink() {
    var button = document.getElementById("copy-link");
    var status = document.getElementById("copy-status");
    if (!button) return;
    button.addEventListener("click", function () {
      var link = location.origin + location.pathname + location.search;
      function done(message) { if (status) status.textContent = message; }
      function manual() {
        var field = document.getElementById("copy-field");
        if (!field) {
          field = el("input", "copy-field");
          field.id = "copy-field";
          field.readOnly = true;
          field.setAttribute("aria-label", "Link to this analysis");
          button.parentNode.appendChild(field);
        }
        field.value = link;
        field.focus();
        field.select();
        var copied = false;
        try { copied = document.execCommand("copy"); } catch (e) { copied = false; }
        done(copied ? "Link copied." : "Press Ctrl+C (⌘C) to copy the selected link.");
      }
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(link).then(function () { done("Link copied."); }, manual);
      } else {
        manual();
      }
    });
  }
})();

/* -- forms outside the result page (history, input page) ----------------------------------------------------
   Delete confirmation (newsroom issue, defect 5): a form marked data-confirm asks first, and when the person
   agrees it is sent with confirm=1, so the server does not ask again (without this script the server's own
   confirmation page asks).
   Size before sending (defect 10): a paste or file over the server's cap (the form's data-max-bytes) is not
   sent, because the server's 413 comes back as a separate page and the pasted text is lost; the form says so
   and keeps everything. The server's own limit stays, for API clients and pages without this script. */
(function () {
  "use strict";

  function ready(fn) {
    if (document.readyState !== "loading") fn();
    else document.addEventListener("DOMContentLoaded", fn);
  }

  ready(function () {
    confirmDeletes();
    checkSize();
  });

  var MULTIPART_SLACK = 8192; /* the form's other fields and the multipart headers around them */

  function megabytes(bytes) {
    var mb = bytes / (1024 * 1024);
    return (mb >= 10 ? Math.round(mb) : Math.round(mb * 10) / 10) + " MB";
  }

  function checkSize() {
    var form = document.getElementById("analyse-form");
    var error = document.getElementById("size-error");
    if (!form || !error || !window.Blob) return;
    var limit = parseInt(form.getAttribute("data-max-bytes"), 10);
    if (!limit) return;
    /* On the document, in the capture phase: runs before the form's own listeners (the "Analysing…" button),
       so a refused form is never marked busy. */
    document.addEventListener("submit", function (event) {
      if (event.target !== form) return;
      var text = form.querySelector("textarea[name=text]");
      var file = form.querySelector("input[type=file]");
      var size = (text ? new Blob([text.value]).size : 0) +
        (file && file.files && file.files[0] ? file.files[0].size : 0);
      if (size + MULTIPART_SLACK <= limit) {
        error.hidden = true;
        return;
      }
      event.preventDefault();
      event.stopPropagation();
      error.textContent = "This is " + megabytes(size) + "; this server takes at most " + megabytes(limit) +
        " at a time, so nothing was sent and your text is still here. Analyse a shorter part (an article " +
        "is rarely over 100 KB), or run propwatch analyze on your own computer.";
      error.hidden = false;
      error.scrollIntoView({block: "nearest"});
    }, true);
  }

  function confirmDeletes() {
    document.querySelectorAll("form[data-confirm]").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        if (!window.confirm(form.getAttribute("data-confirm"))) {
          event.preventDefault();
          return;
        }
        if (!form.querySelector('input[name="confirm"]')) {
          var field = document.createElement("input");
          field.type = "hidden";
          field.name = "confirm";
          field.value = "1";
          form.appendChild(field);
        }
      });
    });
  }
})();

/* -- progress of an analysis (newsroom issue, feature 8) ----------------------------------------------------
   A long article takes a worker many seconds. When an analysis form is sent, this picks a random key, sends it
   with the form (field "progress") and, while the browser waits for the result page, asks the server how far
   the analysis has got (GET /analyze/progress/KEY: the step, and the encoder windows done of that step) and
   shows it in a progress bar. The form itself is sent exactly as without this script; only numbers come back,
   written with textContent. */
(function () {
  "use strict";

  var STEPS = {techniques: "finding techniques", attributions: "finding who says so", actors: "finding the cast"};
  var POLL_MS = 400;

  function ready(fn) {
    if (document.readyState !== "loading") fn();
    else document.addEventListener("DOMContentLoaded", fn);
  }

  ready(function () {
    if (!window.fetch || !window.crypto || !window.crypto.getRandomValues) return;
    document.querySelectorAll('form[action="/analyze"]').forEach(function (form) {
      form.addEventListener("submit", function (event) {
        if (event.defaultPrevented) return;  /* refused in the browser (too large): nothing is sent */
        follow(form);
      });
    });
    window.addEventListener("pageshow", function () {  /* back to this page: no stale bar */
      document.querySelectorAll(".analysis-progress").forEach(function (node) { node.remove(); });
    });
  });

  function newKey() {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  function follow(form) {
    var key = newKey();
    var field = form.querySelector('input[name="progress"]');
    if (!field) {
      field = document.createElement("input");
      field.type = "hidden";
      field.name = "progress";
      form.appendChild(field);
    }
    field.value = key;
    document.querySelectorAll(".analysis-progress").forEach(function (node) { node.remove(); });
    var box = document.createElement("div");
    box.className = "analysis-progress";
    box.id = "analysis-progress";
    var bar = document.createElement("progress");
    bar.max = 100;
    bar.setAttribute("aria-label", "Analysis progress");
    var words = document.createElement("p");
    words.setAttribute("role", "status");
    words.textContent = "Sending the article…";
    box.appendChild(bar);
    box.appendChild(words);
    var button = form.querySelector('button[type="submit"]');
    (button && button.parentNode === form ? button : form.lastElementChild).insertAdjacentElement("afterend", box);
    var stopped = false;

    function say(state) {
      if (state.state === "reading") return "Reading the article…";
      if (state.state === "waiting") {
        return state.ahead ? "Waiting for a free worker (" + state.ahead + " analys" +
          (state.ahead === 1 ? "is" : "es") + " ahead)…" : "Waiting for a free worker…";
      }
      if (state.state === "running") {
        var step = STEPS[state.step] || ("running " + state.step);
        var where = state.steps > 1 ? "Step " + state.step_number + " of " + state.steps + ", " : "";
        var windows = state.total ? ": " + state.done + " of " + state.total + " passages" : "…";
        return (where ? where + step : step.charAt(0).toUpperCase() + step.slice(1)) + windows;
      }
      if (state.state === "done") return "Done; opening the result…";
      if (state.state === "failed") return "The analysis could not be finished; the page will say why.";
      return "Sending the article…";
    }

    function poll() {
      if (stopped) return;
      fetch("/analyze/progress/" + key, {credentials: "same-origin", cache: "no-store"})
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (state) {
          if (!state) { stopped = true; return; }
          words.textContent = say(state);
          if (state.state === "running" || state.state === "done") {
            bar.value = Math.round(100 * (state.state === "done" ? 1 : state.fraction));
          }
          if (state.state === "done" || state.state === "failed") stopped = true;
          else window.setTimeout(poll, POLL_MS);
        }, function () { window.setTimeout(poll, POLL_MS * 3); });
    }
    window.setTimeout(poll, POLL_MS / 2);
  }
})();
