/**
 * The browser side of the HTML report, as a string embedded in the page (no network at view
 * time). It draws a counterexample as a swimlane timeline: one lane each for the KVM run loop,
 * host code with IRQs on, the NMI handler, the hardware and the guest, then rows of values after
 * each step (CPU mode, PEBS_ENABLE, cpuc->pebs_enabled, GLOBAL_CTRL, the MSR-load lists). The
 * step at which the property failed is marked; clicking a step shows what it did, with a link to
 * the kernel function it models.
 */
export const TIMELINE_SCRIPT = String.raw`
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("switchlab-data").textContent);
  var LANES = [
    ["kvm", "KVM run loop"],
    ["host", "host, IRQs on"],
    ["nmi", "NMI handler"],
    ["hardware", "hardware"],
    ["guest", "guest"],
  ];
  // Value rows come from the trace: the state fields declared with a timeline row, in order.
  function valueOf(after, label) {
    for (var i = 0; i < after.length; i++) if (after[i].label === label) return after[i].value;
    return undefined;
  }

  // A counterexample of the matrix page, decoded from its compact form when it is first drawn:
  // each step [n, action, mode, fn, kernel name, file, version, lane, full, detail count,
  // ...detail, ...label/value pairs], every string an index into data.strings (json-form.ts).
  function decodeSteps(steps) {
    var S = data.strings;
    var prev = [];
    return steps.map(function (a) {
      var nd = a[9];
      var detail = a.slice(10, 10 + nd).map(function (i) { return S[i]; });
      var pairs = [];
      for (var i = 10 + nd; i + 1 < a.length; i += 2) pairs.push({ label: S[a[i]], value: S[a[i + 1]] });
      if (a[8] === 1) prev = pairs;
      else {
        var by = new Map(pairs.map(function (p) { return [p.label, p.value]; }));
        prev = prev.map(function (p) { return by.has(p.label) ? { label: p.label, value: by.get(p.label) } : p; });
      }
      return {
        n: a[0], action: S[a[1]], mode: S[a[2]], fn: S[a[3]],
        kernel: { name: S[a[4]], file: S[a[5]], version: S[a[6]] },
        lane: S[a[7]], detail: detail, after: prev,
      };
    });
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function elixir(k) {
    if (!k.name) return null;
    var m = /v(5\.11|6\.16)/.exec(k.version);
    var v = m ? "v" + m[1] : "v5.11";
    return "https://elixir.bootlin.com/linux/" + v + "/A/ident/" + encodeURIComponent(k.name);
  }

  // An MSR-load list's value is "[MSR=value, ...]": its entries, each shown as MSR = value.
  function listEntries(v) {
    if (v === "[]") return [];
    return v.slice(1, -1).split(", ").map(function (e) {
      var i = e.indexOf("=");
      return { msr: e.slice(0, i), value: e.slice(i + 1) };
    });
  }

  function shortValue(key, v) {
    if (key === "mode") return v === "non-root" ? "guest" : "host";
    // Long masks keep their low digits (the GP counters); the title has the full value.
    return v.length > 6 ? ".." + v.slice(-3) : v;
  }

  function big(v) {
    try {
      return BigInt(v);
    } catch (e) {
      return null;
    }
  }

  // What is wrong, and only that, is red: a live PEBS_ENABLE bit nobody owns, that is, one that
  // cpuc->pebs_enabled does not have (perf cleared it) and, in the guest, that the VM-entry list
  // did not load as the guest's value either; and a PEBS_ENABLE entry of the VM-exit list that
  // would restore such a bit. KVM's own zeroing before VM-entry takes bits away and is not red.
  function staleBits(v, cpuc, guestValue) {
    var a = big(v);
    var b = big(cpuc);
    var g = big(guestValue || "0x0");
    return a !== null && b !== null && g !== null && (a & ~b & ~g) !== BigInt(0);
  }

  function listValue(v, msr) {
    if (!v || v.charAt(0) !== "[") return undefined;
    var es = listEntries(v);
    for (var i = 0; i < es.length; i++) if (es[i].msr === msr) return es[i].value;
    return undefined;
  }

  /** Draw one counterexample's timeline into a container; returns the container. */
  function drawTimeline(target, title, cx, failed) {
    var steps = cx.timeline;
    var box = el("div", "timeline");
    box.appendChild(el("h3", "", title));
    var grid = el("div", "tl-grid");
    grid.style.gridTemplateColumns = "12em repeat(" + steps.length + ", 6.2em)";
    var detail = el("div", "tl-detail");
    function show(i) {
      var s = steps[i];
      detail.textContent = "";
      var h = el("div", "tl-detail-head");
      h.appendChild(el("b", "", "#" + s.n + " " + s.action + "  "));
      var href = elixir(s.kernel);
      if (href) {
        var a = el("a", "kernel-link", s.kernel.name);
        a.href = href;
        a.target = "_blank";
        h.appendChild(a);
        h.appendChild(el("span", "", " (" + s.kernel.file + ", " + s.kernel.version + ")"));
      } else {
        h.appendChild(el("span", "", s.kernel.file));
      }
      detail.appendChild(h);
      var pre = el("pre", "", s.detail.join("\n") || "(no change)");
      detail.appendChild(pre);
      var sel = grid.querySelectorAll(".selected");
      for (var j = 0; j < sel.length; j++) sel[j].classList.remove("selected");
      var col = grid.querySelectorAll('[data-step="' + i + '"]');
      for (var k = 0; k < col.length; k++) col[k].classList.add("selected");
    }
    // Lane rows.
    LANES.forEach(function (lane) {
      grid.appendChild(el("div", "tl-label lane-" + lane[0], lane[1]));
      steps.forEach(function (s, i) {
        var c = el("div", "tl-cell");
        c.dataset.step = String(i);
        if (valueOf(s.after, "mode") === "non-root" && lane[0] === "guest") c.classList.add("in-guest");
        if (s.lane === lane[0]) {
          var mk = el("button", "marker lane-" + lane[0], String(s.n));
          mk.title = s.action + (s.kernel.name ? "  <" + s.kernel.name + ">" : "");
          if (failed && i === steps.length - 1) mk.classList.add("went-wrong");
          mk.addEventListener("click", function () {
            show(i);
          });
          c.appendChild(mk);
        }
        grid.appendChild(c);
      });
    });
    // Value rows: a value is written where it changes.
    var rows = steps.length ? steps[0].after.map(function (x) { return x.label; }) : [];
    rows.forEach(function (label) {
      grid.appendChild(el("div", "tl-label value", label));
      var prev = null;
      steps.forEach(function (s, i) {
        var v = valueOf(s.after, label);
        var c = el("div", "tl-cell value");
        c.dataset.step = String(i);
        c.title = label + " after #" + s.n + ": " + v;
        c.dataset.row = label;
        var cpuc = valueOf(s.after, "cpuc->pebs_enabled");
        var guest = valueOf(s.after, "mode") === "non-root";
        var loaded = guest ? listValue(valueOf(s.after, "VM-entry list"), "PEBS_ENABLE") : undefined;
        if (label === "PEBS_ENABLE" && staleBits(v, cpuc, loaded)) c.classList.add("stale");
        if (v !== undefined && v.charAt(0) === "[") {
          c.classList.add("list");
          listEntries(v).forEach(function (e) {
            var line = el("span", "entry", e.msr + "=" + shortValue(e.msr, e.value));
            if (label === "VM-exit list" && e.msr === "PEBS_ENABLE" && staleBits(e.value, cpuc)) line.classList.add("stale");
            c.appendChild(line);
          });
          if (v !== prev) c.classList.add("changed");
        } else if (v !== prev) {
          c.textContent = shortValue(label, v);
          c.classList.add("changed");
        }
        prev = v;
        grid.appendChild(c);
      });
    });
    box.appendChild(el("p", failed ? "tl-symptom" : "tl-symptom none", "Symptom: " + (cx.symptom || "none")));
    var scroll = el("div", "tl-scroll");
    scroll.appendChild(grid);
    box.appendChild(scroll);
    box.appendChild(el("p", "tl-hint", "Click a numbered step for what it did. " + (failed ? "The red step is where the property failed; the outlined one is the cause, where a value first went wrong. " : "") + "Red values are wrong: a live PEBS_ENABLE bit that cpuc->pebs_enabled does not have (nor, in the guest, the guest value the VM-entry list loaded), and a VM-exit list entry that would restore one."));
    box.appendChild(detail);
    var repro = el("p", "tl-repro");
    repro.appendChild(el("code", "", cx.reproduce));
    box.appendChild(repro);
    target.appendChild(box);
    // The cause: the first step after which a value is wrong (red), such as the NMI that left the
    // VM-exit list's PEBS_ENABLE entry stale. Open there, with the failing step in view as well
    // when both fit; when they do not, the cause is what to read first.
    var firstWrong = grid.querySelector(".tl-cell.stale");
    var cause = firstWrong ? Number(firstWrong.dataset.step) : steps.length - 1;
    var causeMk = grid.querySelector('.tl-cell[data-step="' + cause + '"] .marker');
    if (failed && causeMk && cause < steps.length - 1) {
      causeMk.classList.add("cause");
      causeMk.title = "the cause: " + causeMk.title;
    }
    show(cause);
    var last = grid.querySelector('.tl-cell[data-step="' + (steps.length - 1) + '"]');
    var first = grid.querySelector('.tl-cell[data-step="' + cause + '"]');
    if (last && first) {
      var label = grid.querySelector(".tl-label").offsetWidth;
      var toLast = last.offsetLeft + last.offsetWidth - scroll.clientWidth + 24;
      scroll.scrollLeft = Math.max(0, Math.min(toLast, first.offsetLeft - label - 8));
    }
    return box;
  }

  // Matrix: filters and clicks.
  var table = document.getElementById("matrix");
  var panel = document.getElementById("timeline-panel");
  function applyFilters() {
    var f = {};
    ["policy", "profile", "scenario"].forEach(function (k) {
      f[k] = document.getElementById("filter-" + k).value;
    });
    var rows = table ? table.querySelectorAll("tbody tr") : [];
    for (var i = 0; i < rows.length; i++) {
      var r = rows[i];
      var on = ["policy", "profile", "scenario"].every(function (k) {
        return f[k] === "" || r.dataset[k] === f[k];
      });
      r.hidden = !on;
    }
  }
  ["policy", "profile", "scenario"].forEach(function (k) {
    var s = document.getElementById("filter-" + k);
    if (s) s.addEventListener("change", applyFilters);
  });
  // A cell's reproduce line: its own, or the row's, filled into the template (page.ts pageData).
  function reproduceOf(cell) {
    if (cell.reproduce) return cell.reproduce;
    return data.reproduce.replace(/\u0001(policy|profile|scenario|property)\u0001/g, function (_, k) {
      return cell[k];
    });
  }
  if (table) {
    // Each violated cell's title: its symptom (kept once per symptom in the data).
    var failed = table.querySelectorAll("td.violated[data-cell]");
    for (var j = 0; j < failed.length; j++) {
      var fc = data.cells[failed[j].dataset.cell];
      if (fc) failed[j].title = data.symptoms[fc.symptom];
    }
    table.addEventListener("click", function (ev) {
      var td = ev.target.closest("td.violated");
      if (!td) return;
      var cell = data.cells[td.dataset.cell];
      if (!cell) return;
      var cx = { symptom: data.symptoms[cell.symptom], reproduce: reproduceOf(cell), timeline: decodeSteps(data.counterexamples[cell.ref]) };
      panel.textContent = "";
      panel.hidden = false;
      drawTimeline(panel, cell.policy + " / " + cell.profile + " / " + cell.scenario + " / " + cell.property, cx, true);
      panel.scrollIntoView({ block: "start" });
    });
  }
  // Diff pages: aligned timelines drawn at load.
  if (data.diff) {
    var host = document.getElementById("diff-panel");
    data.diff.forEach(function (d) {
      var sec = el("section", "diff-item");
      sec.appendChild(el("h2", "", d.profile + " / " + d.scenario + " / " + d.property));
      sec.appendChild(el("p", "", d.summary));
      var boxes = d.runs.map(function (r) {
        return drawTimeline(sec, r.policy + ": " + r.verdict, r.run, r.verdict === "violated");
      });
      host.appendChild(sec);
      // Both runs open at the first step where they differ (the same choice, or the same values).
      var a = d.runs[0] && d.runs[0].run.timeline;
      var b = d.runs[1] && d.runs[1].run.timeline;
      if (a && b) {
        var at = 0;
        var same = function (x, y) { return x.action === y.action && JSON.stringify(x.after) === JSON.stringify(y.after); };
        while (at < a.length && at < b.length && same(a[at], b[at])) at++;
        boxes.forEach(function (box) {
          var scroll = box.querySelector(".tl-scroll");
          var col = box.querySelector('.tl-cell[data-step="' + at + '"]');
          var label = box.querySelector(".tl-label");
          if (scroll && col && label) scroll.scrollLeft = Math.max(0, col.offsetLeft - label.offsetWidth - 8);
          box.dataset.firstDifference = String(at);
        });
      }
    });
  }
  window.switchlabReady = true;
})();
`;
