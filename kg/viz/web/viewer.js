/* The graph page: draws the data embedded in #vnkg-data with Cytoscape.js (inlined above).
   Positions come precomputed from Python, so nothing is laid out here except the ring
   view of a focus. The page fetches nothing: every byte it needs is in this file. */
(function () {
  "use strict";

  performance.mark("vnkg:start");
  var data = JSON.parse(document.getElementById("vnkg-data").textContent);
  performance.mark("vnkg:data");
  var FACTS = { visit: true, meeting: true, agreement: true, figure: true };
  var STYLE = {
    person:       { color: "#3b82f6", shape: "ellipse",         points: null },
    country:      { color: "#dc2626", shape: "hexagon",         points: "8,1 14.5,4.5 14.5,11.5 8,15 1.5,11.5 1.5,4.5" },
    organization: { color: "#7c3aed", shape: "round-rectangle", points: null },
    location:     { color: "#a16207", shape: "triangle",        points: "8,1.5 15,14.5 1,14.5" },
    position:     { color: "#64748b", shape: "tag",             points: "1,3 11,3 15,8 11,13 1,13" },
    visit:        { color: "#16a34a", shape: "diamond",         points: "8,1 15,8 8,15 1,8" },
    meeting:      { color: "#ea580c", shape: "star",            points: "8,1 9.9,6 15,6.2 11,9.4 12.4,14.6 8,11.6 3.6,14.6 5,9.4 1,6.2 6.1,6" },
    agreement:    { color: "#0891b2", shape: "pentagon",        points: "8,1 15,6.2 12.3,15 3.7,15 1,6.2" },
    figure:       { color: "#ca8a04", shape: "rhomboid",        points: "4.5,2 15,2 11.5,14 1,14" }
  };
  var KIND_LABEL = {};
  data.kinds.forEach(function (k) { KIND_LABEL[k.kind] = k.label; });

  var byId = new Map();
  var neighbours = new Map();
  data.nodes.forEach(function (n) { byId.set(n.id, n); neighbours.set(n.id, new Set()); });
  data.edges.forEach(function (e) {
    neighbours.get(e.source).add(e.target);
    neighbours.get(e.target).add(e.source);
  });
  var total = data.nodes.length;
  var large = total > data.shown;
  // On a large graph, the names of the 30 most important people, countries and places stay readable.
  var major = new Set();
  if (large) data.nodes.forEach(function (n) { if (major.size < 30 && !FACTS[n.kind] && n.kind !== "position") major.add(n.id); });

  // ------------------------------------------------------------ small helpers

  function fold(text) {
    return String(text).replace(/đ/g, "d").replace(/Đ/g, "D").normalize("NFD")
      .replace(/[\u0300-\u036f]/g, "").replace(/_/g, " ").toLowerCase().replace(/\s+/g, " ").trim();
  }
  function el(tag, attrs) {
    var node = document.createElement(tag);
    if (attrs) Object.keys(attrs).forEach(function (k) {
      if (k === "text") node.textContent = attrs[k];
      else if (k === "class") node.className = attrs[k];
      else node.setAttribute(k, attrs[k]);
    });
    for (var i = 2; i < arguments.length; i++) {
      var child = arguments[i];
      if (child === null || child === undefined || child === false) continue;
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    }
    return node;
  }
  function swatch(kind) {
    var ns = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(ns, "svg");
    svg.setAttribute("viewBox", "0 0 16 16");
    svg.setAttribute("class", "swatch");
    var st = STYLE[kind], shape;
    if (st.points) { shape = document.createElementNS(ns, "polygon"); shape.setAttribute("points", st.points); }
    else if (st.shape === "ellipse") {
      shape = document.createElementNS(ns, "circle");
      shape.setAttribute("cx", 8); shape.setAttribute("cy", 8); shape.setAttribute("r", 6.5);
    } else {
      shape = document.createElementNS(ns, "rect");
      shape.setAttribute("x", 1.5); shape.setAttribute("y", 3); shape.setAttribute("width", 13);
      shape.setAttribute("height", 10); shape.setAttribute("rx", 3);
    }
    shape.setAttribute("fill", st.color);
    shape.setAttribute("stroke", "rgba(0,0,0,.35)");
    svg.appendChild(shape);
    return svg;
  }
  /* Labels are cut here once rather than by the drawing's ellipsis, which measures every letter. */
  function short(text) { return text.length > 34 ? text.slice(0, 32).trim() + "…" : text; }
  function number(n) { return n.toLocaleString("en-US"); }
  function lastDay(y, m) { return new Date(Date.UTC(y, m, 0)).getUTCDate(); }
  /* "2024" -> 2024-01-01 (start) or 2024-12-31 (end); undefined when the text is no date. */
  function bound(text, end) {
    text = text.trim();
    if (!text) return null;
    var m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(text);
    if (!m) return undefined;
    var y = +m[1], mo = m[2] ? +m[2] : (end ? 12 : 1);
    if (mo < 1 || mo > 12) return undefined;
    var d = m[3] ? +m[3] : (end ? lastDay(y, mo) : 1);
    if (d < 1 || d > lastDay(y, mo)) return undefined;
    return m[1] + "-" + String(mo).padStart(2, "0") + "-" + String(d).padStart(2, "0");
  }

  // ------------------------------------------------------------ state

  var state = {
    kinds: new Set(data.kinds.map(function (k) { return k.kind; })),
    country: "",
    from: null,
    to: null,
    focus: null,
    shown: data.shown,
    revealed: new Set(),
    pinned: new Set(),
    selected: null
  };
  var visible = new Set();

  // ------------------------------------------------------------ the drawing

  // Only what is visible lives in the drawing: hidden nodes are taken out, not just hidden,
  // so a large graph costs what it shows.
  var incident = new Map();
  data.nodes.forEach(function (n) { incident.set(n.id, []); });
  data.edges.forEach(function (e) { incident.get(e.source).push(e); incident.get(e.target).push(e); });
  var present = new Set();
  var presentEdges = new Set();
  var placed = new Map();  // where each node is drawn now (a focus moves them into rings)
  data.nodes.forEach(function (n) { placed.set(n.id, { x: n.x, y: n.y }); });
  function nodeElement(n) {
    return { group: "nodes", data: { id: n.id, label: short(n.label), kind: n.kind, size: n.size },
             position: Object.assign({}, placed.get(n.id)),
             classes: n.kind + (FACTS[n.kind] ? " fact" : "") + (major.has(n.id) ? " major" : "") };
  }
  function edgeElement(e) {
    return { group: "edges", data: { id: e.id, source: e.source, target: e.target, label: e.label, rel: e.rel } };
  }
  var font = getComputedStyle(document.body).fontFamily;
  var styles = [
    { selector: "node", style: {
        "width": "data(size)", "height": "data(size)", "label": "data(label)", "font-family": font,
        "font-size": 12, "color": "#1d2430", "text-valign": "bottom", "text-margin-y": 4,
        "text-outline-color": "#ffffff", "text-outline-width": 2,
        "min-zoomed-font-size": large ? 9 : 6, "border-width": 1.5, "border-color": "rgba(0,0,0,.3)" } },
    { selector: "node.fact", style: { "font-size": 10, "color": "#4b5563", "width": "mapData(size, 0, 50, 0, 38)",
        "height": "mapData(size, 0, 50, 0, 38)" } },
    { selector: "edge", style: {
        "width": 1.3, "line-color": "#b9c2cd", "curve-style": large ? "haystack" : "straight",
        "haystack-radius": 0, "font-family": font,
        "target-arrow-shape": large ? "none" : "triangle", "target-arrow-color": "#b9c2cd", "arrow-scale": 0.7,
        "label": large ? "" : "data(label)", "font-size": 9, "color": "#6b7280", "text-rotation": "autorotate",
        "text-background-color": "#ffffff", "text-background-opacity": 0.85, "text-background-padding": 1,
        "min-zoomed-font-size": large ? 10 : 7 } },
    { selector: "node.major", style: { "min-zoomed-font-size": 0, "font-weight": 600, "z-index": 5 } },
    { selector: ".faded", style: { "opacity": 0.13, "text-opacity": 0 } },
    { selector: "edge.lit", style: { "line-color": "#f59e0b", "target-arrow-color": "#f59e0b", "width": 2.4, "label": "data(label)",
        "color": "#92400e", "z-index": 10, "min-zoomed-font-size": 4 } },
    { selector: "edge.lit.quiet", style: { "label": "" } },
    { selector: "node.lit", style: { "min-zoomed-font-size": 4, "z-index": 10 } },
    { selector: "node:selected", style: { "border-width": 4, "border-color": "#f59e0b", "z-index": 20 } },
    { selector: "node.root", style: { "border-width": 4, "border-color": "#111827" } }
  ];
  Object.keys(STYLE).forEach(function (kind) {
    styles.push({ selector: "node." + kind, style: { "background-color": STYLE[kind].color, "shape": STYLE[kind].shape } });
  });

  var cy = cytoscape({
    container: document.getElementById("cy"),
    style: styles,
    layout: { name: "preset", fit: false },
    minZoom: 0.02,
    maxZoom: 5,
    wheelSensitivity: 0.4,
    boxSelectionEnabled: false,
    selectionType: "single",
    autoungrabify: large,
    textureOnViewport: large,
    hideEdgesOnViewport: large,
    pixelRatio: large ? 1 : "auto"
  });

  performance.mark("vnkg:drawing");

  // ------------------------------------------------------------ what is visible

  function inDates(n) {
    if (!state.from && !state.to) return true;
    if (!n.start) return false;
    return (!state.to || n.start <= state.to) && (!state.from || n.end >= state.from);
  }
  function factPasses(n) {
    return state.kinds.has(n.kind) && inDates(n) && (!state.country || n.countries.indexOf(state.country) >= 0);
  }
  function focusArea(id) {
    var keep = new Set([id]);
    neighbours.get(id).forEach(function (o) {
      keep.add(o);
      var k = byId.get(o).kind;
      if (FACTS[k] || k === "position") neighbours.get(o).forEach(function (p) { keep.add(p); });
    });
    return keep;
  }
  function computeVisible() {
    var filtering = !!(state.from || state.to || state.country);
    var dated = !!(state.from || state.to);
    var passing = new Set();
    data.nodes.forEach(function (n) { if (FACTS[n.kind] && factPasses(n)) passing.add(n.id); });
    var area = state.focus ? focusArea(state.focus) : null;
    var result = new Set();
    function linkedToPassing(id) {
      var found = false;
      neighbours.get(id).forEach(function (o) { if (passing.has(o)) found = true; });
      return found;
    }
    data.nodes.forEach(function (n) {
      var ok;
      if (FACTS[n.kind]) ok = passing.has(n.id);
      else if (!state.kinds.has(n.kind)) ok = false;
      else if (!filtering || n.kind === "position") ok = true;
      else ok = linkedToPassing(n.id) || (!dated && n.countries.indexOf(state.country) >= 0);
      if (ok && area && !area.has(n.id)) ok = false;
      if (ok && !area && large && n.rank >= state.shown && !state.revealed.has(n.id)) ok = false;
      if (ok) result.add(n.id);
    });
    // Positions follow the people who hold them.
    data.nodes.forEach(function (n) {
      if (n.kind !== "position" || !result.has(n.id) || !filtering) return;
      var held = false;
      neighbours.get(n.id).forEach(function (o) { if (byId.get(o).kind === "person" && result.has(o)) held = true; });
      if (!held) result.delete(n.id);
    });
    if (state.focus) result.add(state.focus);
    state.pinned.forEach(function (id) { result.add(id); });
    return result;
  }
  function sync() {
    var removing = [], adding = [];
    present.forEach(function (id) { if (!visible.has(id)) removing.push(id); });
    visible.forEach(function (id) { if (!present.has(id)) adding.push(id); });
    if (!removing.length && !adding.length) return;
    cy.batch(function () {
      if (removing.length) {
        var gone = cy.collection();
        removing.forEach(function (id) {
          gone.merge(cy.getElementById(id));
          present.delete(id);
          incident.get(id).forEach(function (e) { presentEdges.delete(e.id); });
        });
        cy.remove(gone);
      }
      var fresh = [];
      adding.forEach(function (id) { present.add(id); fresh.push(nodeElement(byId.get(id))); });
      adding.forEach(function (id) {
        incident.get(id).forEach(function (e) {
          if (!presentEdges.has(e.id) && present.has(e.source) && present.has(e.target)) {
            presentEdges.add(e.id);
            fresh.push(edgeElement(e));
          }
        });
      });
      cy.add(fresh);
    });
    if (large) scaleMajorLabels();
  }
  function apply(options) {
    visible = computeVisible();
    sync();
    document.getElementById("count-shown").textContent = number(visible.size);
    document.getElementById("shown-note").hidden = visible.size === total;
    updateLegendCounts();
    updateTimeline();
    if (state.selected && !visible.has(state.selected)) clearSelection();
    else if (state.selected) highlight(state.selected);
    if (!options || options.fit !== false) fitVisible();
  }
  /* Names of the most important nodes keep a readable size on screen whatever the zoom. */
  function scaleMajorLabels() {
    var size = Math.max(12, 13 / cy.zoom());
    cy.nodes(".major").style({ "font-size": size, "text-outline-width": Math.max(2, 2.5 / cy.zoom()) });
  }
  /* Fit the drawn nodes to the window from their positions alone: asking the drawing for
     its bounding box would measure every label first, which is slow on large graphs. */
  function fitVisible() {
    var x1 = Infinity, y1 = Infinity, x2 = -Infinity, y2 = -Infinity;
    cy.nodes().forEach(function (n) {
      var p = n.position(), r = n.data("size") / 2;
      x1 = Math.min(x1, p.x - r); x2 = Math.max(x2, p.x + r);
      y1 = Math.min(y1, p.y - r); y2 = Math.max(y2, p.y + r + 18);  // the name sits below the node
    });
    if (x1 === Infinity) return;
    var pad = 40, w = cy.width(), h = cy.height();
    var zoom = Math.min((w - 2 * pad) / Math.max(x2 - x1, 1), (h - 2 * pad) / Math.max(y2 - y1, 1), 1.25);
    zoom = Math.max(zoom, cy.minZoom());
    cy.viewport({ zoom: zoom, pan: { x: (w - zoom * (x1 + x2)) / 2, y: (h - zoom * (y1 + y2)) / 2 } });
    if (large) scaleMajorLabels();
  }

  // ------------------------------------------------------------ selection and details

  function highlight(id) {
    var node = cy.getElementById(id);
    var hood = node.closedNeighborhood();
    cy.batch(function () {
      // Fading every other element restyles the whole drawing: on a large graph the
      // lit neighbourhood alone says enough and keeps a click quick.
      if (large) cy.elements(".lit").removeClass("lit quiet");
      else cy.elements().removeClass("lit quiet").addClass("faded");
      hood.removeClass("faded").addClass("lit");
      var edges = node.connectedEdges();
      // A hub's hundreds of link names would hide everything: they are shown for small neighbourhoods only.
      edges.removeClass("faded").addClass("lit").toggleClass("quiet", edges.length > 40);
    });
  }
  function clearSelection() {
    state.selected = null;
    cy.batch(function () {
      (large ? cy.elements(".lit") : cy.elements()).removeClass("faded lit quiet");
      cy.nodes().unselect();
    });
    markTimeline(null);
    renderIntro();
  }
  /* A node asked for (search, timeline, link) is shown whatever the filters; on a large
     graph its neighbours come in too, past the importance limit, so its facts are seen. */
  function reveal(id) {
    var changed = false;
    if (!visible.has(id)) { state.pinned.add(id); changed = true; }
    if (large) neighbours.get(id).forEach(function (o) {
      if (!state.revealed.has(o)) { state.revealed.add(o); changed = true; }
    });
    return changed;
  }
  function select(id, options) {
    if (!byId.has(id)) return;
    options = options || {};
    var changed = reveal(id);
    if (changed) apply({ fit: false });
    state.selected = id;
    var node = cy.getElementById(id);
    cy.nodes().unselect();
    node.select();
    highlight(id);
    renderDetails(byId.get(id));
    markTimeline(id);
    if (options.center !== false) {
      var zoom = Math.max(cy.zoom(), large ? 0.7 : 0.8);
      cy.animate({ center: { eles: node }, zoom: Math.min(zoom, 1.25) }, { duration: large ? 0 : 300 });
    }
  }
  function link(id, text) {
    var a = el("a", { href: "#", "data-goto": id, text: text });
    a.addEventListener("click", function (ev) { ev.preventDefault(); select(id); });
    return a;
  }
  function rowsTable(rows) {
    var table = el("table");
    rows.forEach(function (row) {
      var td = el("td");
      row[1].forEach(function (part, i) {
        if (i) td.appendChild(document.createTextNode(", "));
        td.appendChild(typeof part === "string" ? document.createTextNode(part) : link(part.id, part.text));
      });
      table.appendChild(el("tr", null, el("th", { text: row[0] }), td));
    });
    return table;
  }
  function evidenceBlock(n, box) {
    (n.evidence || []).forEach(function (sentence) { box.appendChild(el("blockquote", { class: "evidence", text: sentence })); });
    (n.sources || []).forEach(function (a) {
      var art = data.articles[a];
      if (!art) return;
      box.appendChild(el("div", { class: "source" },
        art.headline ? el("b", { text: art.headline }) : null,
        art.headline ? " — " : "", art.file || a, art.date ? " · " + art.date : ""));
    });
  }
  function renderDetails(n) {
    var box = document.getElementById("details");
    box.textContent = "";
    box.appendChild(el("div", { class: "kind-badge" }, swatch(n.kind), KIND_LABEL[n.kind]));
    box.appendChild(el("h2", { text: FACTS[n.kind] && n.summary ? n.summary : n.label }));
    box.appendChild(el("div", { class: "iri", text: n.id }));
    if (n.rows.length) box.appendChild(rowsTable(n.rows));
    var actions = el("div", { class: "actions" });
    var focusButton = el("button", { type: "button", text: state.focus === n.id ? "Leave focus" : "Focus on this" });
    focusButton.addEventListener("click", function () { setFocus(state.focus === n.id ? null : n.id); });
    actions.appendChild(focusButton);
    box.appendChild(actions);
    if (FACTS[n.kind] || n.kind === "position") {
      if ((n.evidence || []).length || (n.sources || []).length) {
        box.appendChild(el("h3", { text: "Evidence" }));
        evidenceBlock(n, box);
      }
    }
    if (n.facts && n.facts.length) {
      box.appendChild(el("h3", { text: "Facts (" + n.facts.length + ")" }));
      n.facts.slice(0, 150).forEach(function (fid) {
        var f = byId.get(fid);
        var item = el("div", { class: "fact" },
          el("div", null, swatch(f.kind), " ", link(fid, KIND_LABEL[f.kind] + ": " + (f.summary || f.label))),
          f.when ? el("div", { class: "when", text: f.when }) : null);
        evidenceBlock(f, item);
        box.appendChild(item);
      });
      if (n.facts.length > 150) box.appendChild(el("p", { class: "more", text: "and " + (n.facts.length - 150) + " more" }));
    }
  }
  function renderIntro() {
    var box = document.getElementById("details");
    box.textContent = "";
    var intro = el("div", { class: "intro" },
      el("h3", { text: "About this graph" }),
      el("p", { text: "Click a node to see who and what it links, with the sentence each fact was read from and its article." }),
      el("p", { text: "Drag to pan, scroll to zoom. Search finds names with or without diacritics." }));
    var list = el("ul", { class: "stats" });
    data.kinds.forEach(function (k) {
      var count = data.stats.by_kind[k.kind] || 0;
      if (count) list.appendChild(el("li", null, swatch(k.kind), number(count) + " " + (count > 1 ? k.plural : k.label.toLowerCase())));
    });
    intro.appendChild(list);
    box.appendChild(intro);
  }

  // ------------------------------------------------------------ focus

  function setFocus(id) {
    state.focus = id;
    var box = document.getElementById("focus-box");
    box.hidden = !id;
    document.getElementById("focus-label").textContent = id ? byId.get(id).label : "";
    cy.nodes().removeClass("root");
    data.nodes.forEach(function (n) { placed.set(n.id, { x: n.x, y: n.y }); });
    cy.nodes().positions(function (n) { return placed.get(n.id()); });
    apply({ fit: false });
    if (id) {
      cy.getElementById(id).addClass("root");
      var direct = neighbours.get(id);
      cy.nodes().layout({
        name: "concentric", fit: false, animate: false, minNodeSpacing: large ? 30 : 70, avoidOverlap: true,
        concentric: function (n) { return n.id() === id ? 3 : direct.has(n.id()) ? 2 : 1; },
        levelWidth: function () { return 1; }
      }).run();
      cy.nodes().forEach(function (n) { placed.set(n.id(), Object.assign({}, n.position())); });
      fitVisible();
      select(id, { center: false });
    } else {
      fitVisible();
      if (state.selected) renderDetails(byId.get(state.selected));
    }
  }

  // ------------------------------------------------------------ controls

  var legendCounts = {};
  function buildControls() {
    var legend = document.getElementById("legend");
    data.kinds.forEach(function (k) {
      var box = el("input", { type: "checkbox", "data-kind": k.kind });
      box.checked = true;
      box.addEventListener("change", function () {
        if (box.checked) state.kinds.add(k.kind); else state.kinds.delete(k.kind);
        apply();
      });
      var n = el("span", { class: "n" });
      legendCounts[k.kind] = n;
      var item = el("li", { "data-kind": k.kind }, el("label", null, box, swatch(k.kind), k.label, n));
      if (!data.stats.by_kind[k.kind]) item.classList.add("none");
      legend.appendChild(item);
    });
    var select = document.getElementById("country");
    data.countries.forEach(function (c) { select.appendChild(el("option", { value: c.id, text: c.label })); });
    select.addEventListener("change", function () { state.country = select.value; apply(); });

    ["date-from", "date-to"].forEach(function (name, i) {
      var input = document.getElementById(name);
      var initial = i ? data.until : data.since;
      if (initial) input.value = initial;
      input.addEventListener("change", function () {
        var value = bound(input.value, i === 1);
        input.classList.toggle("bad", value === undefined);
        if (value === undefined) return;
        if (i) state.to = value; else state.from = value;
        apply();
      });
    });
    if (large) {
      document.getElementById("limit-box").hidden = false;
      var range = document.getElementById("limit");
      range.max = String(Math.ceil(total / 100) * 100);
      range.value = String(state.shown);
      var label = document.getElementById("limit-value");
      var showLimit = function () { label.textContent = number(Math.min(state.shown, total)) + " of " + number(total); };
      showLimit();
      range.addEventListener("input", function () { state.shown = +range.value; showLimit(); });
      range.addEventListener("change", function () { apply(); });
      document.getElementById("show-all").addEventListener("click", function () {
        state.shown = total; range.value = range.max; showLimit(); apply();
      });
    }
    document.getElementById("focus-clear").addEventListener("click", function () { setFocus(null); });
    document.getElementById("fit").addEventListener("click", fitVisible);
    document.getElementById("reset").addEventListener("click", function () {
      state.kinds = new Set(data.kinds.map(function (k) { return k.kind; }));
      document.querySelectorAll("#legend input").forEach(function (b) { b.checked = true; });
      state.country = ""; select.value = "";
      state.from = state.to = null;
      ["date-from", "date-to"].forEach(function (n) { var i = document.getElementById(n); i.value = ""; i.classList.remove("bad"); });
      state.revealed.clear();
      state.pinned.clear();
      state.shown = data.shown;
      if (large) { document.getElementById("limit").value = String(data.shown); document.getElementById("limit").dispatchEvent(new Event("input")); }
      clearSelection();
      if (state.focus) setFocus(null); else apply();
    });
    document.getElementById("count-nodes").textContent = number(data.stats.nodes);
    document.getElementById("count-nodes").setAttribute("data-count", String(data.stats.nodes));
    document.getElementById("count-edges").textContent = number(data.stats.edges);
    document.getElementById("count-edges").setAttribute("data-count", String(data.stats.edges));
  }
  function updateLegendCounts() {
    var counts = {};
    visible.forEach(function (id) { var k = byId.get(id).kind; counts[k] = (counts[k] || 0) + 1; });
    Object.keys(legendCounts).forEach(function (k) {
      var all = data.stats.by_kind[k] || 0, now = counts[k] || 0;
      legendCounts[k].textContent = now === all ? number(all) : number(now) + "/" + number(all);
    });
  }

  // ------------------------------------------------------------ search

  var index = data.nodes.map(function (n) {
    return { id: n.id, keys: [n.label].concat(n.alt || []).map(fold) };
  });
  function search(query) {
    var q = fold(query);
    if (!q) return [];
    var hits = [];
    for (var i = 0; i < index.length; i++) {
      var best = -1;
      index[i].keys.forEach(function (k) {
        var at = k.indexOf(q);
        if (at < 0) return;
        var score = k === q ? 0 : at === 0 ? 1 : k.charAt(at - 1) === " " ? 2 : 3;
        if (best < 0 || score < best) best = score;
      });
      if (best >= 0) hits.push({ id: index[i].id, score: best, rank: byId.get(index[i].id).rank });
    }
    hits.sort(function (a, b) { return a.score - b.score || a.rank - b.rank; });
    return hits.slice(0, 12);
  }
  function buildSearch() {
    var input = document.getElementById("search");
    var list = document.getElementById("search-results");
    var hits = [], active = 0;
    function pick(i) {
      if (!hits[i]) return;
      list.hidden = true;
      input.value = byId.get(hits[i].id).label;
      select(hits[i].id);
    }
    function render() {
      list.textContent = "";
      hits.forEach(function (h, i) {
        var n = byId.get(h.id);
        var item = el("li", { role: "option", "data-id": h.id, class: i === active ? "active" : "" },
          swatch(n.kind), el("span", { text: n.label }), el("span", { class: "kind", text: KIND_LABEL[n.kind] }));
        item.addEventListener("mousedown", function (ev) { ev.preventDefault(); pick(i); });
        list.appendChild(item);
      });
      if (!hits.length && input.value.trim()) list.appendChild(el("li", { class: "empty", text: "No node has that name" }));
      list.hidden = !input.value.trim();
    }
    input.addEventListener("input", function () { hits = search(input.value); active = 0; render(); });
    input.addEventListener("keydown", function (ev) {
      if (ev.key === "ArrowDown") { active = Math.min(active + 1, hits.length - 1); render(); ev.preventDefault(); }
      else if (ev.key === "ArrowUp") { active = Math.max(active - 1, 0); render(); ev.preventDefault(); }
      else if (ev.key === "Enter") { pick(active); ev.preventDefault(); }
      else if (ev.key === "Escape") { list.hidden = true; }
    });
    input.addEventListener("blur", function () { list.hidden = true; });
    input.addEventListener("focus", function () { if (hits.length) list.hidden = false; });
  }

  // ------------------------------------------------------------ timeline

  var timelineItems = new Map();
  function buildTimeline() {
    var list = document.getElementById("timeline-list");
    var year = null;
    data.timeline.forEach(function (t) {
      var y = t.start ? t.start.slice(0, 4) : (t.order ? "no year" : "undated");
      if (y !== year) {
        year = y;
        list.appendChild(el("li", { class: "year", "data-year": y, text: y }));
      }
      var button = el("button", { type: "button", class: "tl-entry tl-" + t.kind, "data-id": t.id,
                                  "data-start": t.start || "", "data-kind": t.kind,
                                  style: "--kind-color: " + STYLE[t.kind].color },
        el("span", { class: "tl-date", text: t.when || "date not stated" }),
        el("span", { class: "tl-type", text: t.type }),
        el("span", { class: "tl-who", text: t.who.join(", ") || "?" , title: t.who.join(", ") }),
        el("span", { class: "tl-where", text: (t.kind === "visit" ? "→ " : "") + (t.where.join(", ") || ""), title: t.where.join(", ") }));
      button.addEventListener("click", function () { select(t.id); });
      var item = el("li", { class: "tl-item" }, button);
      list.appendChild(item);
      timelineItems.set(t.id, item);
    });
    if (!data.timeline.length) list.appendChild(el("li", { id: "timeline-empty", text: "No visit or meeting in this graph." }));
  }
  function updateTimeline() {
    var area = state.focus ? focusArea(state.focus) : null;
    data.timeline.forEach(function (t) {
      var n = byId.get(t.id);
      var ok = factPasses(n) && (!area || area.has(t.id));
      timelineItems.get(t.id).hidden = !ok;
    });
    // A year heading shows while one of its entries does.
    var heading = null, any = false;
    Array.prototype.forEach.call(document.getElementById("timeline-list").children, function (li) {
      if (li.classList.contains("year")) { if (heading) heading.hidden = !any; heading = li; any = false; }
      else if (!li.hidden) any = true;
    });
    if (heading) heading.hidden = !any;
  }
  function markTimeline(id) {
    timelineItems.forEach(function (item) { item.firstChild.classList.remove("selected"); });
    var item = id && timelineItems.get(id);
    if (item) {
      item.firstChild.classList.add("selected");
      item.scrollIntoView({ block: "nearest", inline: "center" });
    }
  }

  // ------------------------------------------------------------ start

  cy.on("tap", "node", function (ev) { select(ev.target.id(), { center: false }); });
  if (large) cy.on("zoom", scaleMajorLabels);
  cy.on("dragfree", "node", function (ev) { placed.set(ev.target.id(), Object.assign({}, ev.target.position())); });
  cy.on("tap", function (ev) { if (ev.target === cy) clearSelection(); });
  document.addEventListener("keydown", function (ev) {
    if (ev.key === "Escape" && document.activeElement.id !== "search") clearSelection();
  });

  buildControls();
  buildSearch();
  buildTimeline();
  renderIntro();
  performance.mark("vnkg:controls");
  state.from = data.since || null;
  state.to = data.until || null;
  apply();
  if (data.focus) setFocus(data.focus);
  performance.mark("vnkg:applied");
  requestAnimationFrame(function () { performance.mark("vnkg:frame"); });

  window.vnkg = { cy: cy, data: data, state: state, select: select, search: search, fold: fold,
                  setFocus: setFocus, visible: function () { return visible; }, ready: false };
  cy.ready(function () {
    requestAnimationFrame(function () {
      requestAnimationFrame(function () {
        window.vnkg.ready = true;
        window.vnkg.readyAt = performance.now();
        document.body.setAttribute("data-ready", "true");
      });
    });
  });
})();
