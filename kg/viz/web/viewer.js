/* The graph page: draws the data embedded in #vnkg-data with Cytoscape.js (inlined above),
   and the world map in #vnkg-world as SVG. Positions come precomputed from Python, so
   nothing is laid out here except the ring view of a focus. The page fetches nothing:
   every byte it needs is in this file.

   Two views of one drawing: "people" (the first screen: people and countries, each visit
   a link from the visitor to the destination, each meeting a link between the people who
   met) and "facts" (every fact a node of its own). The map, the timeline and the details
   panel follow the same filters. */
(function () {
  "use strict";

  performance.mark("vnkg:start");
  var data = unpack(JSON.parse(document.getElementById("vnkg-data").textContent));
  performance.mark("vnkg:data");

  /* The data comes packed (kg.viz.page.packed): nodes and articles named by number. Back to ids. */
  function unpack(raw) {
    if (!raw.packed) return raw;
    var nodes = raw.nodes, ids = nodes.map(function (n) { return n.id; });
    var articles = {}, articleIds = raw.articles.map(function (a) { return a.id; });
    raw.articles.forEach(function (a) { articles[a.id] = a; });
    function id(i) { return typeof i === "number" ? ids[i] : i; }
    function ref(p) { return typeof p === "number" ? { id: ids[p], text: nodes[p].label } : p; }
    function article(a) { return typeof a === "number" ? articleIds[a] : a; }
    nodes.forEach(function (n) {
      n.rows = n.rows.map(function (row) { return [row[0], row[1].map(ref)]; });
      if (n.countries) n.countries = n.countries.map(id);
      if (n.facts) n.facts = n.facts.map(id);
      if (n.sources) n.sources = n.sources.map(article);
      if (n.arc) n.arc = n.arc.map(id);
      if (n.at !== undefined) n.at = id(n.at);
      if (n.atVisit !== undefined) n.atVisit = id(n.atVisit);
      if (n.profile) {
        Object.keys(n.profile).forEach(function (k) { if (k !== "posts") n.profile[k] = n.profile[k].map(id); });
        n.profile.posts.forEach(function (post) {
          post.id = id(post.id);
          if (post.holders) post.holders = post.holders.map(id);
          if (post.articles) post.articles = post.articles.map(article);
        });
      }
    });
    raw.edges = raw.edges.map(function (e, k) {
      var rel = raw.relations[e[2]];
      return { id: "e" + k, source: ids[e[0]], target: ids[e[1]], rel: rel[0], label: rel[1] };
    });
    raw.links = raw.links.map(function (l, k) {
      return { id: "q" + k, fact: ids[l[0]], kind: nodes[l[0]].kind, source: ids[l[1]], target: ids[l[2]] };
    });
    raw.timeline = raw.timeline.map(function (i) {
      var n = nodes[i];
      return { id: n.id, kind: n.kind, start: n.start, end: n.end, when: n.when, order: n.order, type: n.type || "",
               who: n.who || [], where: n.where || [], summary: n.summary };
    });
    raw.articles = articles;
    return raw;
  }
  var FACTS = { visit: true, meeting: true, agreement: true, figure: true };
  var TRAVEL = { visit: true, meeting: true };
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
  // What the people view shows at first; the other kinds are one tick away.
  var PEOPLE_KINDS = ["person", "country", "visit", "meeting"];
  var KIND_LABEL = {};
  data.kinds.forEach(function (k) { KIND_LABEL[k.kind] = k.label; });

  var byId = new Map();
  var neighbours = new Map();
  var incident = new Map();
  data.nodes.forEach(function (n) { byId.set(n.id, n); neighbours.set(n.id, new Set()); incident.set(n.id, []); });
  data.edges.forEach(function (e) {
    neighbours.get(e.source).add(e.target);
    neighbours.get(e.target).add(e.source);
    incident.get(e.source).push(e);
    incident.get(e.target).push(e);
  });
  // The people view's links: per node, and per fact.
  var linksOf = new Map(), linksOfFact = new Map();
  data.links.forEach(function (l) {
    var f = byId.get(l.fact);
    l.label = f && f.when ? f.when.split(" – ")[0] : "";
    [l.source, l.target].forEach(function (end) {
      if (!linksOf.has(end)) linksOf.set(end, []);
      linksOf.get(end).push(l);
    });
    if (!linksOfFact.has(l.fact)) linksOfFact.set(l.fact, []);
    linksOfFact.get(l.fact).push(l);
  });
  var total = data.nodes.length;
  var coreCount = data.nodes.filter(function (n) { return n.core; }).length;
  var large = total > data.shown;
  var peopleLarge = coreCount > data.shown;
  // The names that stay readable at every zoom: the most important people, countries and places.
  var major = { facts: new Set(), people: new Set() };
  data.nodes.forEach(function (n) {
    if (major.facts.size < 30 && !FACTS[n.kind] && n.kind !== "position") major.facts.add(n.id);
  });
  data.nodes.filter(function (n) { return n.core && !FACTS[n.kind]; })
    .sort(function (a, b) { return a.qrank - b.qrank; }).slice(0, 40)
    .forEach(function (n) { major.people.add(n.id); });

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
  var SVG = "http://www.w3.org/2000/svg";
  function svgEl(tag, attrs) {
    var node = document.createElementNS(SVG, tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    return node;
  }
  function swatch(kind) {
    var svg = svgEl("svg", { viewBox: "0 0 16 16", "class": "swatch", "aria-hidden": "true" });
    var st = STYLE[kind], shape;
    if (st.points) shape = svgEl("polygon", { points: st.points });
    else if (st.shape === "ellipse") shape = svgEl("circle", { cx: 8, cy: 8, r: 6.5 });
    else shape = svgEl("rect", { x: 1.5, y: 3, width: 13, height: 10, rx: 3 });
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
  function byTime(a, b) {
    var x = byId.get(a), y = byId.get(b);
    var kx = x.order || x.start || "~", ky = y.order || y.start || "~";
    return kx < ky ? -1 : kx > ky ? 1 : 0;
  }

  // ------------------------------------------------------------ state

  function allKinds() { return new Set(data.kinds.map(function (k) { return k.kind; })); }
  var state = {
    view: "people",
    tab: "graph",
    kinds: { people: new Set(PEOPLE_KINDS), facts: allKinds() },
    country: "",
    person: "",
    from: null,
    to: null,
    focus: null,
    shown: data.shown,
    revealed: new Set(),
    pinned: new Set(),
    selected: null
  };
  var visible = new Set();
  var passing = new Set();

  // ------------------------------------------------------------ the drawing

  // Only what is visible lives in the drawing: hidden nodes are taken out, not just hidden,
  // so a large graph costs what it shows.
  var present = new Set();
  var presentEdges = new Map();  // edge id -> its data
  var placed = new Map();  // where each node is drawn now (a focus moves them into rings)
  data.nodes.forEach(function (n) { placed.set(n.id, { x: n.x, y: n.y }); });
  function isMajor(id) { return (state.view === "people" ? major.people : major.facts).has(id); }
  function nodeElement(n) {
    return { group: "nodes", data: { id: n.id, label: short(n.label), kind: n.kind, size: n.size },
             position: Object.assign({}, placed.get(n.id)),
             classes: n.kind + (FACTS[n.kind] ? " fact" : "") + (isMajor(n.id) ? " major" : "") };
  }
  function edgeElement(e) {
    if (e.fact) return { group: "edges", classes: "travel " + e.kind,
                         data: { id: e.id, source: e.source, target: e.target, label: e.label, fact: e.fact, rel: e.kind } };
    return { group: "edges", classes: e.rel,
             data: { id: e.id, source: e.source, target: e.target, label: e.label, rel: e.rel } };
  }
  var font = getComputedStyle(document.body).fontFamily;
  var styles = [
    { selector: "node", style: {
        // A large drawing names only the nodes `declutter` picks: measuring thousands of unseen names is slow.
        "width": "data(size)", "height": "data(size)", "label": large || peopleLarge ? "" : "data(label)", "font-family": font,
        "font-size": 13, "color": "#1d2430", "text-valign": "bottom", "text-margin-y": 4,
        "text-outline-color": "#ffffff", "text-outline-width": 2.5,
        "min-zoomed-font-size": large ? 9 : 5, "border-width": 1.5, "border-color": "rgba(0,0,0,.3)" } },
    { selector: "node.fact", style: { "font-size": 10, "color": "#4b5563", "width": "mapData(size, 0, 50, 0, 38)",
        "height": "mapData(size, 0, 50, 0, 38)" } },
    { selector: "edge", style: {
        "width": 1.3, "line-color": "#b9c2cd", "curve-style": large ? "haystack" : "bezier",
        "haystack-radius": 0, "font-family": font,
        "target-arrow-shape": large ? "none" : "triangle", "target-arrow-color": "#b9c2cd", "arrow-scale": 0.7,
        "label": large ? "" : "data(label)", "font-size": 9, "color": "#6b7280", "text-rotation": "autorotate",
        "text-background-color": "#ffffff", "text-background-opacity": 0.85, "text-background-padding": 1,
        "min-zoomed-font-size": large ? 10 : 7 } },
    // Dashes cost a canvas much more than solid lines: a large drawing tells links apart by colour alone.
    { selector: "edge.nationality", style: { "line-style": large || peopleLarge ? "solid" : "dotted",
        "line-color": large || peopleLarge ? "#e3e7ec" : "#cbd2da", "target-arrow-shape": "none", "label": "", "width": 1 } },
    { selector: "edge.travel", style: { "width": 2.2, "label": large ? "" : "data(label)", "font-size": 10 } },
    { selector: "edge.visit", style: { "line-color": "#16a34a", "target-arrow-color": "#16a34a", "target-arrow-shape": "triangle",
        "arrow-scale": 0.9, "color": "#166534" } },
    { selector: "edge.meeting", style: { "line-color": "#ea580c", "target-arrow-shape": "none",
        "line-style": large || peopleLarge ? "solid" : "dashed", "line-dash-pattern": [6, 3], "color": "#9a3412" } },
    { selector: "node.major", style: { "min-zoomed-font-size": 0, "font-weight": 600, "z-index": 5 } },
    { selector: "node.named", style: { "label": "data(label)" } },
    { selector: "node.hushed", style: { "text-opacity": 0 } },
    { selector: ".faded", style: { "opacity": 0.13, "text-opacity": 0 } },
    { selector: "edge.lit", style: { "line-color": "#f59e0b", "target-arrow-color": "#f59e0b", "width": 3, "label": "data(label)",
        "color": "#92400e", "z-index": 10, "min-zoomed-font-size": 4 } },
    { selector: "edge.lit.quiet", style: { "label": "" } },
    { selector: "node.lit", style: { "min-zoomed-font-size": 4, "z-index": 10, "text-opacity": 1 } },
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

  function kindOn(kind) { return state.kinds[state.view].has(kind); }
  function inDates(n) {
    if (!state.from && !state.to) return true;
    if (!n.start) return false;
    return (!state.to || n.start <= state.to) && (!state.from || n.end >= state.from);
  }
  function peopleOf(id) {
    var found = [];
    neighbours.get(id).forEach(function (o) { if (byId.get(o).kind === "person") found.push(o); });
    return found;
  }
  function factPasses(n) {
    return kindOn(n.kind) && inDates(n) && (!state.country || n.countries.indexOf(state.country) >= 0)
      && (!state.person || neighbours.get(n.id).has(state.person));
  }
  function filtering() { return !!(state.from || state.to || state.country || state.person); }
  /* The focus and what is shown with it. People view: the node, the people and countries
     it visited or met, its nationality, and those facts; facts view: its facts and their ends. */
  function focusArea(id) {
    var keep = new Set([id]);
    if (state.view === "people") {
      (linksOf.get(id) || []).forEach(function (l) { keep.add(l.source); keep.add(l.target); keep.add(l.fact); });
      (linksOfFact.get(id) || []).forEach(function (l) { keep.add(l.source); keep.add(l.target); });
      neighbours.get(id).forEach(function (o) {
        var other = byId.get(o);
        if (other.core || !FACTS[other.kind]) keep.add(o);
        if (FACTS[other.kind]) neighbours.get(o).forEach(function (p) { keep.add(p); });
      });
      return keep;
    }
    neighbours.get(id).forEach(function (o) {
      keep.add(o);
      var k = byId.get(o).kind;
      if (FACTS[k] || k === "position") neighbours.get(o).forEach(function (p) { keep.add(p); });
    });
    return keep;
  }
  function computePassing() {
    var result = new Set();
    data.nodes.forEach(function (n) { if (FACTS[n.kind] && factPasses(n)) result.add(n.id); });
    return result;
  }
  function withinLimit(n) {
    if (state.focus || state.revealed.has(n.id)) return true;
    if (state.view === "people") return !peopleLarge || n.qrank < state.shown;
    return !large || n.rank < state.shown;
  }
  function computeVisiblePeople(area) {
    var result = new Set();
    var narrowed = filtering();
    function linkedToPassing(id) {
      var ls = linksOf.get(id) || [];
      for (var i = 0; i < ls.length; i++) if (passing.has(ls[i].fact)) return true;
      var found = false;
      neighbours.get(id).forEach(function (o) { if (byId.get(o).core && passing.has(o)) found = true; });
      return found;
    }
    data.nodes.forEach(function (n) {
      if (!n.core) return;
      var ok;
      if (FACTS[n.kind]) ok = passing.has(n.id);
      else if (!kindOn(n.kind) && n.kind !== "location") ok = false;  // a place visited is where the visit went
      else ok = !narrowed || linkedToPassing(n.id);
      if (ok && area && !area.has(n.id)) ok = false;
      if (ok && !withinLimit(n)) ok = false;
      if (ok) result.add(n.id);
    });
    // The home country of each person drawn, so that people stand by their country.
    if (kindOn("country")) result.forEach(function (id) {
      var n = byId.get(id);
      if (n.kind !== "person") return;
      incident.get(id).forEach(function (e) { if (e.rel === "nationality" && (!area || area.has(e.target))) result.add(e.target); });
    });
    // Kinds ticked beyond the first screen: what links to a node already drawn.
    var extra = [];
    data.nodes.forEach(function (n) {
      if (n.core || TRAVEL[n.kind] || n.kind === "person" || n.kind === "country" || !kindOn(n.kind) || result.has(n.id)) return;
      if (FACTS[n.kind] && !passing.has(n.id)) return;
      var linked = false;
      neighbours.get(n.id).forEach(function (o) { if (result.has(o)) linked = true; });
      if (linked) extra.push(n);
    });
    extra.forEach(function (n) {
      result.add(n.id);
      if (FACTS[n.kind]) neighbours.get(n.id).forEach(function (o) {
        var k = byId.get(o).kind;
        if ((k === "person" || k === "country") && kindOn(k)) result.add(o);
      });
    });
    return result;
  }
  function computeVisibleFacts(area) {
    var narrowed = !!(state.from || state.to || state.country || state.person);
    var dated = !!(state.from || state.to);
    var result = new Set();
    function linkedToPassing(id) {
      var found = false;
      neighbours.get(id).forEach(function (o) { if (passing.has(o)) found = true; });
      return found;
    }
    data.nodes.forEach(function (n) {
      var ok;
      if (FACTS[n.kind]) ok = passing.has(n.id);
      else if (!kindOn(n.kind)) ok = false;
      else if (!narrowed || n.kind === "position") ok = true;
      else ok = linkedToPassing(n.id) || (!dated && !state.person && n.countries.indexOf(state.country) >= 0);
      if (ok && area && !area.has(n.id)) ok = false;
      if (ok && !withinLimit(n)) ok = false;
      if (ok) result.add(n.id);
    });
    // Positions follow the people who hold them.
    data.nodes.forEach(function (n) {
      if (n.kind !== "position" || !result.has(n.id) || !narrowed) return;
      var held = false;
      neighbours.get(n.id).forEach(function (o) { if (byId.get(o).kind === "person" && result.has(o)) held = true; });
      if (!held) result.delete(n.id);
    });
    return result;
  }
  function computeVisible() {
    passing = computePassing();
    var area = state.focus ? focusArea(state.focus) : null;
    var result = state.view === "people" ? computeVisiblePeople(area) : computeVisibleFacts(area);
    if (state.focus) result.add(state.focus);
    state.pinned.forEach(function (id) { result.add(id); });
    return result;
  }
  function wantedEdges() {
    var wanted = new Map();
    data.edges.forEach(function (e) { if (visible.has(e.source) && visible.has(e.target)) wanted.set(e.id, e); });
    if (state.view === "people") data.links.forEach(function (l) {
      if (passing.has(l.fact) && visible.has(l.source) && visible.has(l.target)) wanted.set(l.id, l);
    });
    return wanted;
  }
  function sync() {
    var removing = [], adding = [];
    present.forEach(function (id) { if (!visible.has(id)) removing.push(id); });
    visible.forEach(function (id) { if (!present.has(id)) adding.push(id); });
    var edges = wantedEdges();
    var dropEdges = [], addEdges = [];
    presentEdges.forEach(function (e, id) { if (!edges.has(id)) dropEdges.push(id); });
    edges.forEach(function (e, id) { if (!presentEdges.has(id)) addEdges.push(e); });
    if (!removing.length && !adding.length && !dropEdges.length && !addEdges.length) return false;
    cy.batch(function () {
      var gone = cy.collection();
      dropEdges.forEach(function (id) { gone.merge(cy.getElementById(id)); presentEdges.delete(id); });
      removing.forEach(function (id) { gone.merge(cy.getElementById(id)); present.delete(id); });
      if (gone.length) cy.remove(gone);
      var fresh = [];
      adding.forEach(function (id) { present.add(id); fresh.push(nodeElement(byId.get(id))); });
      addEdges.forEach(function (e) { presentEdges.set(e.id, e); fresh.push(edgeElement(e)); });
      if (fresh.length) cy.add(fresh);
    });
    return true;
  }
  function apply(options) {
    visible = computeVisible();
    sync();
    document.getElementById("count-shown").textContent = number(visible.size);
    document.getElementById("shown-note").hidden = visible.size === total;
    updateLegendCounts();
    updateTimeline();
    if (state.selected && !visible.has(state.selected) && !byId.get(state.selected).core && !linksOfFact.has(state.selected)) clearSelection();
    else if (state.selected) highlight(state.selected);
    if (!options || options.fit !== false) fitVisible();
    else labels();
    drawMap();
  }

  // ------------------------------------------------------------ names that can be read

  /* Names keep a readable size on screen; where two would overlap, the less important one
     is hidden until a zoom makes room for it. */
  function labelScale() {
    var z = cy.zoom();
    return Math.min(Math.max(z, 0.9), 1.4) / z;
  }
  var labelTimer = null;
  function labels() {
    if (labelTimer) return;
    labelTimer = requestAnimationFrame(function () { labelTimer = null; declutter(); });
  }
  var graphStale = false;  // the graph changed while another tab was shown: fit it when it comes back
  function declutter() {
    if (state.tab !== "graph") { graphStale = true; return; }  // measuring a hidden drawing forces a page layout
    var z = cy.zoom(), w = cy.width(), h = cy.height();
    var small = cy.nodes().length <= 400;
    var measured = !(large || peopleLarge);  // small graphs: every node has its name, measured exactly
    var size = 13 * labelScale();
    var key = state.view === "people" ? "qrank" : "rank";
    var candidates = [];
    // Restyled only when the zoom or the drawing changed: a restyle redraws everything.
    var sizing = [z, small, cy.nodes().length, state.view].join();
    if (sizing !== declutter.sizing) {
      declutter.sizing = sizing;
      cy.batch(function () {
        if (small) cy.nodes().not(".fact").style({ "font-size": size, "text-outline-width": 2.5 / z });
        else cy.nodes(".major").style({ "font-size": size, "text-outline-width": 2.5 / z });
      });
    }
    cy.nodes().forEach(function (n) {
      var rendered = (n.hasClass("fact") ? 10 : n.hasClass("major") || small ? size : 13) * z;
      if (!n.hasClass("major") && !n.hasClass("lit") && !n.selected() && rendered < (large ? 9 : 5)) return;
      var p = n.renderedPosition();
      if (p.x < -200 || p.y < -50 || p.x > w + 200 || p.y > h + 50) return;
      candidates.push({ n: n, p: p, fs: rendered, r: (n.data("size") || 16) * z / 2,
                        order: n.selected() || n.hasClass("lit") ? -1 : (byId.get(n.id())[key] || 0) });
    });
    candidates.sort(function (a, b) { return a.order - b.order; });
    var kept = [], hush = [], show = [];
    var only = { includeNodes: false, includeEdges: false, includeLabels: true };
    candidates.slice(0, 600).forEach(function (c) {
      var box;
      if (measured) {
        var b = c.n.renderedBoundingBox(only);
        if (!(b.w > 0)) { show.push(c.n); return; }
        box = { x1: b.x1 - 1, x2: b.x2 + 1, y1: b.y1 - 1, y2: b.y2 + 1 };
      } else {  // an estimate, on the wide side: bold letters of the system font
        var text = c.n.data("label") || "", bw = text.length * c.fs * 0.62 + 8, top = c.p.y + c.r + 2;
        box = { x1: c.p.x - bw / 2, x2: c.p.x + bw / 2, y1: top, y2: top + c.fs * 1.35 };
      }
      var clash = kept.some(function (k) { return box.x1 < k.x2 && k.x1 < box.x2 && box.y1 < k.y2 && k.y1 < box.y2; });
      if (clash && c.order >= 0) hush.push(c.n); else { kept.push(box); show.push(c.n); }
    });
    candidates.slice(600).forEach(function (c) { hush.push(c.n); });
    var shown = new Set(show.map(function (n) { return n.id(); }));
    cy.batch(function () {
      if (!measured) cy.nodes(".named").forEach(function (n) { if (!shown.has(n.id())) n.removeClass("named"); });
      show.forEach(function (n) { if (n.hasClass("hushed")) n.removeClass("hushed"); if (!n.hasClass("named")) n.addClass("named"); });
      hush.forEach(function (n) { if (!n.hasClass("hushed")) n.addClass("hushed"); if (n.hasClass("named")) n.removeClass("named"); });
    });
  }

  /* Fit the drawn nodes to the window from their positions alone: asking the drawing for
     its bounding box would measure every label first, which is slow on large graphs. */
  function fitVisible() {
    if (state.tab !== "graph") { graphStale = true; return; }
    var nodes = cy.nodes();
    if (!nodes.length) return;
    var x1 = Infinity, y1 = Infinity, x2 = -Infinity, y2 = -Infinity;
    if (nodes.length > 300) {
      // A large drawing: the box that holds all but the 2 % furthest out on each side, so that
      // a few far-flung nodes do not shrink the rest to a speck.
      var xs = [], ys = [];
      nodes.forEach(function (n) { var p = n.position(); xs.push(p.x); ys.push(p.y); });
      xs.sort(function (a, b) { return a - b; });
      ys.sort(function (a, b) { return a - b; });
      var lo = Math.floor(xs.length * 0.02), hi = Math.ceil(xs.length * 0.98) - 1;
      x1 = xs[lo]; x2 = xs[hi]; y1 = ys[lo]; y2 = ys[hi];
    } else {
      nodes.forEach(function (n) {
        var p = n.position(), r = n.data("size") / 2;
        x1 = Math.min(x1, p.x - r - 30); x2 = Math.max(x2, p.x + r + 30);
        y1 = Math.min(y1, p.y - r); y2 = Math.max(y2, p.y + r + 22);  // the name sits below the node
      });
    }
    var pad = 30, w = cy.width(), h = cy.height();
    var zoom = Math.min((w - 2 * pad) / Math.max(x2 - x1, 1), (h - 2 * pad) / Math.max(y2 - y1, 1), 1.6);
    zoom = Math.max(zoom, cy.minZoom());
    cy.viewport({ zoom: zoom, pan: { x: (w - zoom * (x1 + x2)) / 2, y: (h - zoom * (y1 + y2)) / 2 } });
    labels();
  }

  // ------------------------------------------------------------ selection and details

  function hoodOf(id) {
    var node = cy.getElementById(id);
    if (node.length) {
      var hood = node.closedNeighborhood();
      // A fact's other side stays lit: the destination of a visit, the people of a meeting.
      node.neighborhood("node.fact").forEach(function (f) { hood = hood.union(f.closedNeighborhood()); });
      return hood;
    }
    // A visit or meeting drawn as links in the people view.
    var edges = cy.collection();
    (linksOfFact.get(id) || []).forEach(function (l) { edges.merge(cy.getElementById(l.id)); });
    return edges.union(edges.connectedNodes());
  }
  function highlight(id) {
    var hood = hoodOf(id);
    cy.batch(function () {
      // Fading every other element restyles the whole drawing: on a large graph the
      // lit neighbourhood alone says enough and keeps a click quick.
      if (large) cy.elements(".lit").removeClass("lit quiet");
      else cy.elements().removeClass("lit quiet").addClass("faded");
      hood.removeClass("faded").addClass("lit");
      // A hub's hundreds of link names would hide everything: they are shown for small neighbourhoods only.
      var edges = hood.edges();
      edges.toggleClass("quiet", edges.length > 40);
    });
    labels();
  }
  function clearSelection() {
    state.selected = null;
    cy.batch(function () {
      (large ? cy.elements(".lit") : cy.elements()).removeClass("faded lit quiet");
      cy.nodes().unselect();
    });
    markTimeline(null);
    markMap(null);
    renderIntro();
    labels();
  }
  /* A node asked for (search, timeline, link) is shown whatever the filters; on a large
     graph its neighbours come in too, past the importance limit, so its facts are seen. */
  function reveal(id) {
    var changed = false;
    var n = byId.get(id);
    var drawnAsLinks = state.view === "people" && TRAVEL[n.kind] && !n.core;
    if (drawnAsLinks) {
      (linksOfFact.get(id) || []).forEach(function (l) {
        [l.source, l.target].forEach(function (end) {
          if (!visible.has(end) && !state.revealed.has(end)) { state.revealed.add(end); changed = true; }
        });
      });
      if (!passing.has(id)) { state.pinned.add(id); changed = true; }
      return changed;
    }
    if (!visible.has(id)) { state.pinned.add(id); changed = true; }
    var around = state.view === "people" ? focusArea(id) : neighbours.get(id);
    if (large || peopleLarge) around.forEach(function (o) {
      if (o !== id && !state.revealed.has(o)) { state.revealed.add(o); changed = true; }
    });
    return changed;
  }
  function select(id, options) {
    if (!byId.has(id)) return;
    options = options || {};
    var changed = reveal(id);
    if (changed) { visible = computeVisible(); passing.add(id); visible.forEach(function () {}); sync(); }
    state.selected = id;
    cy.nodes().unselect();
    var node = cy.getElementById(id);
    if (node.length) node.select();
    highlight(id);
    renderDetails(byId.get(id));
    markTimeline(id);
    markMap(id);
    if (options.center !== false && state.tab === "graph") {
      var target = node.length ? node : hoodOf(id);
      if (target.length) {
        var zoom = Math.min(Math.max(cy.zoom(), large ? 0.7 : 0.8), 1.4);
        cy.animate({ center: { eles: target }, zoom: zoom }, { duration: large ? 0 : 300, complete: labels });
      }
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
  function sourceLine(a) {
    var art = data.articles[a];
    if (!art) return null;
    return el("div", { class: "source" },
      art.headline ? el("b", { text: art.headline }) : null,
      art.headline ? " — " : "", art.file || a, art.date ? " · " + art.date : "");
  }
  function evidenceBlock(n, box, sentences) {
    (sentences || n.evidence || []).forEach(function (sentence) { box.appendChild(el("blockquote", { class: "evidence", text: sentence })); });
    (n.sources || []).forEach(function (a) { var line = sourceLine(a); if (line) box.appendChild(line); });
  }
  function factEntry(fid) {
    var f = byId.get(fid);
    var item = el("li", { class: "fact", "data-id": fid, "data-start": f.start || "", "data-kind": f.kind },
      el("div", { class: "when", text: f.when || "date not stated" }),
      el("div", null, swatch(f.kind), " ", link(fid, (f.type ? f.type + ": " : "") + (f.summary || f.label))));
    evidenceBlock(f, item);
    return item;
  }
  function factList(box, title, ids, cls) {
    if (!ids || !ids.length) return;
    box.appendChild(el("h3", { text: title + " (" + ids.length + ")" }));
    var list = el("ol", { class: "facts " + cls });
    ids.slice(0, 200).forEach(function (fid) { list.appendChild(factEntry(fid)); });
    box.appendChild(list);
    if (ids.length > 200) box.appendChild(el("p", { class: "more", text: "and " + (ids.length - 200) + " more" }));
  }
  function renderProfile(n, box) {
    var p = n.profile;
    var names = [n.label].concat(n.alt || []).map(fold);
    if (p.posts.length) {
      box.appendChild(el("h3", { text: n.kind === "person" ? "Posts held" : "Posts" }));
      var posts = el("ul", { class: "posts" });
      p.posts.forEach(function (post) {
        var pos = byId.get(post.id);
        var item = el("li", { "data-id": post.id }, link(post.id, pos.label));
        if (post.holders) {
          item.appendChild(document.createTextNode(post.holders.length ? " — " : ""));
          post.holders.forEach(function (h, i) { if (i) item.appendChild(document.createTextNode(", ")); item.appendChild(link(h, byId.get(h).label)); });
        } else {
          var dates = post.articles.map(function (a) { return data.articles[a]; }).filter(Boolean)
            .map(function (art) { return art.date; }).filter(Boolean).sort();
          if (dates.length) item.appendChild(el("span", { class: "when", text: " attested " + dates.join(", ") }));
          // The sentences that name this person, of all those that mention the post.
          var own = (pos.evidence || []).filter(function (s) {
            var t = fold(s);
            return names.some(function (k) { return k && t.indexOf(k) >= 0; });
          });
          (own.length ? own : (pos.evidence || []).slice(0, 1)).forEach(function (s) { item.appendChild(el("blockquote", { class: "evidence", text: s })); });
          post.articles.forEach(function (a) { var line = sourceLine(a); if (line) item.appendChild(line); });
        }
        posts.appendChild(item);
      });
      box.appendChild(posts);
    }
    if (n.kind === "person") {
      factList(box, "Visits made", p.made, "visits-made");
      factList(box, "Visits hosted", p.hosted, "visits-hosted");
    } else {
      factList(box, "Visits received", p.received, "visits-received");
      factList(box, "Visits made by its people", p.made, "visits-made");
    }
    factList(box, "Meetings", p.meetings, "meetings");
    factList(box, n.kind === "person" ? "Agreements signed" : "Agreements", p.agreements, "agreements");
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
    if (n.kind === "person" || n.kind === "country") {
      var only = el("button", { type: "button", text: "Only their facts" });
      only.addEventListener("click", function () { setFilter(n.kind, n.id); });
      actions.appendChild(only);
    }
    box.appendChild(actions);
    if (FACTS[n.kind] || n.kind === "position") {
      if ((n.evidence || []).length || (n.sources || []).length) {
        box.appendChild(el("h3", { text: "Evidence" }));
        evidenceBlock(n, box);
      }
      if (n.atVisit && byId.get(n.atVisit)) {
        box.appendChild(el("p", { class: "more" }, "On the map where the visit was: ", link(n.atVisit, byId.get(n.atVisit).summary)));
      }
    }
    if (n.profile) { box.classList.add("profile"); renderProfile(n, box); return; }
    box.classList.remove("profile");
    if (n.facts && n.facts.length) factList(box, "Facts", n.facts.slice().sort(byTime), "all-facts");
  }
  function renderIntro() {
    var box = document.getElementById("details");
    box.textContent = "";
    box.classList.remove("profile");
    var counts = data.stats.by_kind;
    var intro = el("div", { class: "intro" },
      el("h3", { text: "Who went where, and met whom, when" }),
      el("p", { text: "Green arrows are visits (person → country), dashed orange lines meetings. Click a person or a country for their profile, a link for the sentence it was read from." }),
      el("p", { text: "The Map tab draws every visit as an arc; the timeline below plays them in order. Tick Agreements, Economic figures, Positions… on the left to bring them in." }),
      el("p", { class: "hint", text: "Keys: / search · arrows pan · + − zoom · Esc clears." }));
    var list = el("ul", { class: "stats" });
    data.kinds.forEach(function (k) {
      var count = counts[k.kind] || 0;
      if (count) list.appendChild(el("li", null, swatch(k.kind), number(count) + " " + (count > 1 ? k.plural : k.label.toLowerCase())));
    });
    intro.appendChild(list);
    box.appendChild(intro);
  }

  // ------------------------------------------------------------ focus and filters

  function setFocus(id) {
    state.focus = id;
    var box = document.getElementById("focus-box");
    box.hidden = !id;
    document.getElementById("focus-label").textContent = id ? byId.get(id).label : "";
    cy.nodes().removeClass("root");
    data.nodes.forEach(function (n) { placed.set(n.id, { x: n.x, y: n.y }); });
    cy.nodes().positions(function (n) { return placed.get(n.id()); });
    apply({ fit: false });
    if (id && cy.getElementById(id).length) {
      cy.getElementById(id).addClass("root");
      var direct = new Set();
      cy.getElementById(id).neighborhood("node").forEach(function (o) { direct.add(o.id()); });
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
  function setFilter(kind, id) {
    if (kind === "person") {
      state.person = id || "";
      document.getElementById("person").value = id ? byId.get(id).label : "";
    } else {
      state.country = id || "";
      document.getElementById("country").value = id || "";
    }
    apply();
  }
  function setView(view) {
    if (view !== "people" && view !== "facts") return;
    state.view = view;
    document.querySelectorAll("#view-switch input").forEach(function (r) { r.checked = r.value === view; });
    cy.batch(function () {
      cy.nodes().forEach(function (n) { n.toggleClass("major", isMajor(n.id())); });
    });
    syncLegend();
    if (state.focus) setFocus(state.focus); else apply();
    if (state.selected) select(state.selected, { center: false });
  }

  // ------------------------------------------------------------ controls

  var legendCounts = {}, legendBoxes = {};
  function syncLegend() {
    Object.keys(legendBoxes).forEach(function (k) { legendBoxes[k].checked = kindOn(k); });
    document.getElementById("legend-hint").textContent = state.view === "people"
      ? "Visits and meetings are the green and orange links. Tick a kind to bring it in beside the people and countries it concerns."
      : "Every fact is a node between the people, countries and places it links.";
  }
  function buildControls() {
    var legend = document.getElementById("legend");
    data.kinds.forEach(function (k) {
      var box = el("input", { type: "checkbox", "data-kind": k.kind });
      legendBoxes[k.kind] = box;
      box.addEventListener("change", function () {
        var set = state.kinds[state.view];
        if (box.checked) set.add(k.kind); else set.delete(k.kind);
        apply();
      });
      var n = el("span", { class: "n" });
      legendCounts[k.kind] = n;
      var item = el("li", { "data-kind": k.kind }, el("label", null, box, swatch(k.kind), k.label, n));
      if (!data.stats.by_kind[k.kind]) item.classList.add("none");
      legend.appendChild(item);
    });
    syncLegend();
    document.querySelectorAll("#view-switch input").forEach(function (radio) {
      radio.addEventListener("change", function () { if (radio.checked) setView(radio.value); });
    });
    var select = document.getElementById("country");
    data.countries.forEach(function (c) { select.appendChild(el("option", { value: c.id, text: c.label })); });
    select.addEventListener("change", function () { state.country = select.value; apply(); });

    var personBox = document.getElementById("person"), people = document.getElementById("person-list");
    var personByName = new Map();
    data.nodes.filter(function (n) { return n.kind === "person"; })
      .sort(function (a, b) { return (b.qdeg || 0) - (a.qdeg || 0) || a.rank - b.rank; }).slice(0, 3000)
      .forEach(function (n) { people.appendChild(el("option", { value: n.label })); });
    data.nodes.forEach(function (n) { if (n.kind === "person" && !personByName.has(fold(n.label))) personByName.set(fold(n.label), n.id); });
    personBox.addEventListener("change", function () {
      var text = fold(personBox.value);
      var id = text ? personByName.get(text) : "";
      personBox.classList.toggle("bad", id === undefined);
      if (id === undefined) return;
      state.person = id;
      apply();
    });

    ["date-from", "date-to"].forEach(function (name, i) {
      var input = document.getElementById(name);
      var initial = i ? data.until : data.since;
      if (initial) input.value = initial;
      input.addEventListener("change", function () {
        var value = bound(input.value, i === 1);
        input.classList.toggle("bad", value === undefined);
        if (value === undefined) return;
        if (i) state.to = value; else state.from = value;
        syncWindow();
        apply();
      });
    });
    if (large || peopleLarge) {
      document.getElementById("limit-box").hidden = false;
      var range = document.getElementById("limit");
      range.max = String(Math.ceil(total / 100) * 100);
      range.value = String(state.shown);
      var label = document.getElementById("limit-value");
      var showLimit = function () {
        var of = state.view === "people" ? coreCount : total;
        label.textContent = number(Math.min(state.shown, of)) + " of " + number(of);
      };
      showLimit();
      range.addEventListener("input", function () { state.shown = +range.value; showLimit(); });
      range.addEventListener("change", function () { apply(); });
      document.getElementById("show-all").addEventListener("click", function () {
        state.shown = total; range.value = range.max; showLimit(); apply();
      });
    }
    document.getElementById("focus-clear").addEventListener("click", function () { setFocus(null); });
    document.getElementById("fit").addEventListener("click", function () { if (state.tab === "map") mapFit(); else fitVisible(); });
    document.getElementById("reset").addEventListener("click", function () {
      state.kinds = { people: new Set(PEOPLE_KINDS), facts: allKinds() };
      syncLegend();
      state.country = ""; select.value = "";
      state.person = ""; personBox.value = ""; personBox.classList.remove("bad");
      state.from = state.to = null;
      ["date-from", "date-to"].forEach(function (n) { var i = document.getElementById(n); i.value = ""; i.classList.remove("bad"); });
      stopPlay();
      syncWindow();
      state.revealed.clear();
      state.pinned.clear();
      state.shown = data.shown;
      if (large || peopleLarge) { document.getElementById("limit").value = String(data.shown); document.getElementById("limit").dispatchEvent(new Event("input")); }
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
    if (state.view === "people") {
      var seen = new Set();
      presentEdges.forEach(function (e) { if (e.fact && !seen.has(e.fact)) { seen.add(e.fact); counts[e.kind] = (counts[e.kind] || 0) + 1; } });
    }
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
      input.setAttribute("aria-expanded", "false");
      input.value = byId.get(hits[i].id).label;
      select(hits[i].id);
    }
    function render() {
      list.textContent = "";
      hits.forEach(function (h, i) {
        var n = byId.get(h.id);
        var item = el("li", { role: "option", id: "hit-" + i, "data-id": h.id, class: i === active ? "active" : "",
                              "aria-selected": i === active ? "true" : "false" },
          swatch(n.kind), el("span", { text: n.label }), el("span", { class: "kind", text: KIND_LABEL[n.kind] }));
        item.addEventListener("mousedown", function (ev) { ev.preventDefault(); pick(i); });
        list.appendChild(item);
      });
      if (!hits.length && input.value.trim()) list.appendChild(el("li", { class: "empty", text: "No node has that name" }));
      list.hidden = !input.value.trim();
      input.setAttribute("aria-expanded", list.hidden ? "false" : "true");
      if (hits.length) input.setAttribute("aria-activedescendant", "hit-" + active);
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

  /* The list holds only the entries that pass the filters, and of those the first PAGE, more
     coming in as it scrolls: a timeline of thousands of facts stays a short list for the browser. */
  var PAGE = 300;
  var timelineItems = new Map();
  var timelineShown = [], timelineRendered = 0, timelineYear = null, timelineMore = null;
  function timelineEntry(t) {
    var button = el("button", { type: "button", class: "tl-entry tl-" + t.kind, "data-id": t.id,
                                "data-start": t.start || "", "data-kind": t.kind,
                                style: "--kind-color: " + STYLE[t.kind].color },
      el("span", { class: "tl-date", text: t.when || "date not stated" }),
      el("span", { class: "tl-type", text: t.type }),
      el("span", { class: "tl-who", text: t.who.join(", ") || "?", title: t.who.join(", ") }),
      el("span", { class: "tl-where", text: (t.kind === "visit" ? "→ " : "") + (t.where.join(", ") || ""), title: t.where.join(", ") }));
    button.addEventListener("click", function () { select(t.id); });
    return el("li", { class: "tl-item" }, button);
  }
  function renderTimeline(upTo) {
    var list = document.getElementById("timeline-list");
    var fragment = document.createDocumentFragment();
    var stop = Math.min(timelineShown.length, Math.max(upTo || 0, timelineRendered + PAGE));
    for (; timelineRendered < stop; timelineRendered++) {
      var t = timelineShown[timelineRendered];
      var y = t.start ? t.start.slice(0, 4) : (t.order ? "no year" : "undated");
      if (y !== timelineYear) {
        timelineYear = y;
        fragment.appendChild(el("li", { class: "year", "data-year": y, text: y }));
      }
      var item = timelineEntry(t);
      fragment.appendChild(item);
      timelineItems.set(t.id, item);
    }
    if (timelineMore) timelineMore.remove();
    timelineMore = null;
    if (timelineRendered < timelineShown.length) {
      timelineMore = el("li", { class: "tl-more" }, el("button", { type: "button", text: number(timelineShown.length - timelineRendered) + " more" }));
      timelineMore.firstChild.addEventListener("click", function () { renderTimeline(); });
      fragment.appendChild(timelineMore);
      if (window.IntersectionObserver) moreObserver.observe(timelineMore);
    }
    list.appendChild(fragment);
  }
  var moreObserver = window.IntersectionObserver ? new IntersectionObserver(function (entries) {
    entries.forEach(function (e) { if (e.isIntersecting) { moreObserver.unobserve(e.target); renderTimeline(); } });
  }, { root: document.getElementById("timeline-list"), rootMargin: "0px 400px 0px 0px" }) : null;
  function travelShown(n) {
    if (!factPasses(n)) return false;
    return !travelShown.area || travelShown.area.has(n.id);
  }
  function updateTimeline() {
    travelShown.area = state.focus ? focusArea(state.focus) : null;
    if (travelShown.area && state.view === "facts") travelShown.area.add(state.focus);
    timelineShown = data.timeline.filter(function (t) { return travelShown(byId.get(t.id)); });
    var list = document.getElementById("timeline-list");
    list.textContent = "";
    timelineItems = new Map();
    timelineRendered = 0;
    timelineYear = null;
    timelineMore = null;
    if (!data.timeline.length) list.appendChild(el("li", { id: "timeline-empty", text: "No visit or meeting in this graph." }));
    else if (!timelineShown.length) list.appendChild(el("li", { id: "timeline-empty", text: "No visit or meeting passes the filters." }));
    renderTimeline();
    updateWindowLabel();
  }
  function markTimeline(id) {
    timelineItems.forEach(function (item) { item.firstChild.classList.remove("selected"); });
    if (id && !timelineItems.has(id)) {
      var at = timelineShown.findIndex(function (t) { return t.id === id; });
      if (at >= 0) renderTimeline(at + 1);
    }
    var item = id && timelineItems.get(id);
    if (item) {
      item.firstChild.classList.add("selected");
      item.scrollIntoView({ block: "nearest", inline: "center" });
    }
  }

  // The time window: a month range over the dated visits and meetings, with a histogram;
  // moving it (or playing it) sets the date filter that the graph, the map and the list follow.
  var months = [];
  (function () {
    var first = null, last = null;
    data.timeline.forEach(function (t) {
      if (!t.start) return;
      var a = t.start.slice(0, 7), b = (t.end || t.start).slice(0, 7);
      if (!first || a < first) first = a;
      if (!last || b > last) last = b;
    });
    if (!first) return;
    var y = +first.slice(0, 4), m = +first.slice(5, 7);
    while (true) {
      var key = y + "-" + String(m).padStart(2, "0");
      months.push(key);
      if (key >= last || months.length > 1200) break;
      m += 1; if (m > 12) { m = 1; y += 1; }
    }
  })();
  var windowFrom = document.getElementById("window-from"), windowTo = document.getElementById("window-to");
  function monthStart(i) { return months[i] + "-01"; }
  function monthEnd(i) { return months[i] + "-" + String(lastDay(+months[i].slice(0, 4), +months[i].slice(5, 7))).padStart(2, "0"); }
  var histogramWidth = 0;  // read on start and resize only: reading it after each change forces a page layout
  function drawHistogram(measure) {
    var canvas = document.getElementById("histogram");
    if (measure === true || !histogramWidth) histogramWidth = canvas.clientWidth || 300;
    var width = histogramWidth;
    canvas.width = width;
    var ctx = canvas.getContext("2d");
    ctx.clearRect(0, 0, width, canvas.height);
    if (!months.length) return;
    var counts = months.map(function () { return [0, 0]; });
    var at = new Map(months.map(function (m, i) { return [m, i]; }));
    data.timeline.forEach(function (t) {
      if (!t.start) return;
      var i = at.get(t.start.slice(0, 7));
      if (i !== undefined) counts[i][t.kind === "visit" ? 0 : 1] += 1;
    });
    var top = Math.max.apply(null, counts.map(function (c) { return c[0] + c[1]; })) || 1;
    var bar = width / months.length;
    var a = +windowFrom.value, b = +windowTo.value;
    counts.forEach(function (c, i) {
      var inside = i >= a && i <= b;
      var hv = c[0] / top * 28, hm = c[1] / top * 28;
      ctx.fillStyle = inside ? STYLE.visit.color : "#b7d9c2";
      ctx.fillRect(i * bar, 30 - hv, Math.max(bar - 1, 1), hv);
      ctx.fillStyle = inside ? STYLE.meeting.color : "#f5cdb4";
      ctx.fillRect(i * bar, 30 - hv - hm, Math.max(bar - 1, 1), hm);
    });
  }
  function syncWindow() {
    if (!months.length) return;
    var a = 0, b = months.length - 1;
    if (state.from) { var i = months.indexOf(state.from.slice(0, 7)); a = i >= 0 ? i : state.from < months[0] ? 0 : months.length - 1; }
    if (state.to) { var j = months.indexOf(state.to.slice(0, 7)); b = j >= 0 ? j : state.to > months[months.length - 1] ? months.length - 1 : 0; }
    windowFrom.value = String(a);
    windowTo.value = String(b);
    drawHistogram();
    updateWindowLabel();
  }
  function updateWindowLabel() {
    var shown = { visit: 0, meeting: 0 };
    timelineShown.forEach(function (t) { shown[t.kind] += 1; });
    var range = months.length ? (state.from || state.to
      ? (state.from || months[0]) + " to " + (state.to || months[months.length - 1])
      : months[0] + " to " + months[months.length - 1]) : "no dated visit or meeting";
    document.getElementById("window-label").textContent =
      range + " · " + number(shown.visit) + " visits, " + number(shown.meeting) + " meetings";
  }
  var windowFrame = null;
  function moveWindow(changed) {
    var a = +windowFrom.value, b = +windowTo.value;
    if (a > b) { if (changed === windowFrom) windowTo.value = String(a); else windowFrom.value = String(b); }
    a = +windowFrom.value; b = +windowTo.value;
    var whole = a === 0 && b === months.length - 1;
    state.from = whole ? null : monthStart(a);
    state.to = whole ? null : monthEnd(b);
    document.getElementById("date-from").value = state.from ? months[a] : "";
    document.getElementById("date-to").value = state.to ? months[b] : "";
    drawHistogram();
    if (windowFrame) return;
    windowFrame = requestAnimationFrame(function () { windowFrame = null; apply({ fit: false }); });
  }
  var playing = null;
  function stopPlay() {
    if (playing) clearInterval(playing);
    playing = null;
    document.getElementById("play").textContent = "▶ Play";
    document.getElementById("play").setAttribute("aria-label", "Play the timeline");
  }
  function play() {
    if (playing) { stopPlay(); return; }
    if (!months.length) return;
    var a = +windowFrom.value, b = +windowTo.value;
    var width = b - a;
    if (width >= months.length - 1 || b >= months.length - 1) {
      width = Math.max(0, Math.min(11, Math.floor(months.length / 6)));
      a = 0;
    }
    windowFrom.value = String(a); windowTo.value = String(a + width);
    moveWindow(windowTo);
    document.getElementById("play").textContent = "❚❚ Pause";
    document.getElementById("play").setAttribute("aria-label", "Pause the timeline");
    playing = setInterval(function () {
      var from = +windowFrom.value + 1, to = +windowTo.value + 1;
      if (to > months.length - 1) { stopPlay(); return; }
      windowFrom.value = String(from); windowTo.value = String(to);
      moveWindow(windowTo);
    }, 700);
  }
  function buildWindow() {
    if (!months.length) { document.getElementById("window").hidden = true; document.getElementById("play").hidden = true; return; }
    [windowFrom, windowTo].forEach(function (input) {
      input.max = String(months.length - 1);
      input.addEventListener("input", function () { stopPlay(); moveWindow(input); });
    });
    windowFrom.value = "0";
    windowTo.value = String(months.length - 1);
    document.getElementById("play").addEventListener("click", play);
    window.addEventListener("resize", function () {
      drawHistogram(true);
      if (mapSvg && state.tab === "map") { measureMap(); setMapBox(); }
    });
  }

  // ------------------------------------------------------------ the map

  var world = null, mapSvg = null, mapBox = null, mapLayers = {}, mapDirty = true, mapSelected = null;
  var arcsByPair = new Map(), meetingsAt = new Map();
  function buildMap() {
    world = JSON.parse(document.getElementById("vnkg-world").textContent);
    var holder = document.getElementById("map");
    mapSvg = svgEl("svg", { viewBox: "0 0 " + world.width + " " + world.height, "class": "world",
                           preserveAspectRatio: "xMinYMin slice", role: "img", "aria-label": "World map" });
    var defs = svgEl("defs");
    var marker = svgEl("marker", { id: "arrow", viewBox: "0 0 10 10", refX: "9", refY: "5", markerWidth: "5", markerHeight: "5",
                                   orient: "auto-start-reverse", markerUnits: "strokeWidth" });
    marker.appendChild(svgEl("path", { d: "M0 1 L10 5 L0 9 z", fill: STYLE.visit.color }));
    defs.appendChild(marker);
    mapSvg.appendChild(defs);
    mapSvg.appendChild(svgEl("rect", { x: 0, y: 0, width: world.width, height: world.height, "class": "sea" }));
    var land = svgEl("g", { "class": "land" });
    world.shapes.forEach(function (s) {
      var path = svgEl("path", { d: s.d, "data-name": s.name });
      var title = svgEl("title"); title.textContent = s.name; path.appendChild(title);
      land.appendChild(path);
    });
    mapSvg.appendChild(land);
    ["arcs", "meetings", "countries", "names"].forEach(function (name) {
      mapLayers[name] = svgEl("g", { "class": name });
      mapSvg.appendChild(mapLayers[name]);
    });
    holder.appendChild(mapSvg);
    mapBox = { x: 0, y: 0, w: world.width, h: world.height };
    // Pan by dragging, zoom with the wheel, both about the pointer.
    var drag = null;
    mapSvg.addEventListener("wheel", function (ev) {
      ev.preventDefault();
      var p = mapPoint(ev);
      zoomMap(ev.deltaY < 0 ? 1 / 1.25 : 1.25, p.x, p.y);
    }, { passive: false });
    mapSvg.addEventListener("pointerdown", function (ev) {
      if (ev.target.closest(".arc, .meeting-dot, .country-dot")) return;
      drag = { x: ev.clientX, y: ev.clientY, box: Object.assign({}, mapBox) };
      mapSvg.setPointerCapture(ev.pointerId);
    });
    mapSvg.addEventListener("pointermove", function (ev) {
      if (!drag) return;
      var scale = mapBox.w / mapSize.w;
      mapBox.x = drag.box.x - (ev.clientX - drag.x) * scale;
      mapBox.y = drag.box.y - (ev.clientY - drag.y) * scale;
      setMapBox();
    });
    mapSvg.addEventListener("pointerup", function () { drag = null; });
    holder.addEventListener("keydown", function (ev) {
      var step = mapBox.w / 10;
      var moves = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, -step], ArrowDown: [0, step] };
      if (moves[ev.key]) { mapBox.x += moves[ev.key][0]; mapBox.y += moves[ev.key][1]; setMapBox(); ev.preventDefault(); }
      else if (ev.key === "+" || ev.key === "=") { zoomMap(1 / 1.25); ev.preventDefault(); }
      else if (ev.key === "-") { zoomMap(1.25); ev.preventDefault(); }
    });
    mapSvg.addEventListener("click", function (ev) {
      var arc = ev.target.closest(".arc");
      if (arc) { showRoute(arc.getAttribute("data-pair"), arc.getAttribute("data-id")); return; }
      var dot = ev.target.closest(".meeting-dot");
      if (dot) { showMeetingsAt(dot.getAttribute("data-country")); return; }
      var country = ev.target.closest(".country-dot");
      if (country) select(country.getAttribute("data-id"), { center: false });
    });
    document.getElementById("map-in").addEventListener("click", function () { zoomMap(1 / 1.5); });
    document.getElementById("map-out").addEventListener("click", function () { zoomMap(1.5); });
    document.getElementById("map-home").addEventListener("click", mapHome);
  }
  function mapPoint(ev) {
    var r = mapSvg.getBoundingClientRect();
    var scale = mapBox.w / (r.width || mapSize.w);
    return { x: mapBox.x + (ev.clientX - r.left) * scale, y: mapBox.y + (ev.clientY - r.top) * scale };
  }
  function zoomMap(factor, cx, cy2) {
    if (cx === undefined) { cx = mapBox.x + mapBox.w / 2; cy2 = mapBox.y + mapBox.h / 2; }
    var w = Math.min(Math.max(mapBox.w * factor, 40), world.width * 1.2);
    var f = w / mapBox.w;
    mapBox = { x: cx - (cx - mapBox.x) * f, y: cy2 - (cy2 - mapBox.y) * f, w: w, h: mapBox.h * f };
    setMapBox();
  }
  /* Show the box (x, y, w, h in map units) whole, centred, in the shape of the map's element. */
  function showMapBox(x, y, w, h) {
    var aspect = mapSize.h / mapSize.w;
    var width = Math.max(w, h / aspect), height = width * aspect;
    mapBox = { x: x + w / 2 - width / 2, y: y + h / 2 - height / 2, w: width, h: height };
    setMapBox();
  }
  function mapHome() {
    if (!world) return;
    showMapBox(0, 0, world.width, world.height);
  }
  /* The countries drawn, with room around them: a map of Việt Nam and Lào is not a world map. */
  function mapFit() {
    if (!mapCountries.length) { mapHome(); return; }
    var xs = mapCountries.map(function (c) { return byId.get(c).pt[0]; });
    var ys = mapCountries.map(function (c) { return byId.get(c).pt[1]; });
    var x1 = Math.min.apply(null, xs), x2 = Math.max.apply(null, xs), y1 = Math.min.apply(null, ys), y2 = Math.max.apply(null, ys);
    var w = Math.max(x2 - x1, 90), h = Math.max(y2 - y1, 45);
    showMapBox((x1 + x2) / 2 - w * 0.65, (y1 + y2) / 2 - h * 0.7, w * 1.3, h * 1.4);
  }
  function setMapBox() {
    var aspect = mapSize.h / mapSize.w;
    mapBox.h = mapBox.w * aspect;
    mapSvg.setAttribute("viewBox", [mapBox.x, mapBox.y, mapBox.w, mapBox.h].map(function (v) { return v.toFixed(1); }).join(" "));
    placeCountryNames();
  }
  /* The map's size on screen, read when the tab opens or the window resizes: reading it after
     every change would force the browser to lay out the whole page each time. */
  var mapSize = { w: 1000, h: 500 };
  function measureMap() { mapSize = { w: mapSvg.clientWidth || 1000, h: mapSvg.clientHeight || 500 }; }
  function unit() { return mapBox.w / mapSize.w; }  // map units per screen pixel
  function arcPath(a, b, i) {
    if (Math.abs(a[0] - b[0]) + Math.abs(a[1] - b[1]) < 0.5) {  // a visit inside one country: a small loop
      var s = 7 + i * 1.5;
      return "M" + a[0] + " " + a[1] + " c" + (-s) + " " + (-2 * s) + " " + s + " " + (-2 * s) + " 0 0";
    }
    var dx = b[0] - a[0], dy = b[1] - a[1], d = Math.sqrt(dx * dx + dy * dy);
    var bend = (0.18 + 0.07 * (i % 8)) * d;  // visits along one route fan out to the left of their way
    var cx = (a[0] + b[0]) / 2 + dy / d * bend, cy2 = (a[1] + b[1]) / 2 - dx / d * bend;
    return "M" + a[0] + " " + a[1] + " Q" + cx.toFixed(1) + " " + cy2.toFixed(1) + " " + b[0] + " " + b[1];
  }
  function mapFacts() {
    var visits = [], meetings = [], off = 0;
    travelShown.area = state.focus ? focusArea(state.focus) : null;
    if (travelShown.area && state.view === "facts") travelShown.area.add(state.focus);
    data.timeline.forEach(function (t) {
      var n = byId.get(t.id);
      if (!travelShown(n)) return;
      if (n.kind === "visit") { if (n.arc) visits.push(n); else off += 1; }
      else if (n.at) meetings.push(n);
    });
    return { visits: visits, meetings: meetings, off: off };
  }
  function drawMap() {
    mapDirty = true;
    if (state.tab !== "map" || !mapSvg) return;
    mapDirty = false;
    var facts = mapFacts();
    arcsByPair = new Map();
    meetingsAt = new Map();
    var arcs = document.createDocumentFragment();
    facts.visits.forEach(function (n) {
      var key = n.arc[0] + ">" + n.arc[1];
      if (!arcsByPair.has(key)) arcsByPair.set(key, []);
      var group = arcsByPair.get(key);
      var a = byId.get(n.arc[0]).pt, b = byId.get(n.arc[1]).pt;
      var path = svgEl("path", { d: arcPath(a, b, group.length), "class": "arc", "data-id": n.id, "data-pair": key,
                                 "marker-end": "url(#arrow)" });
      var title = svgEl("title");
      title.textContent = n.summary + (n.when ? ", " + n.when : "");
      path.appendChild(title);
      arcs.appendChild(path);
      group.push(n.id);
    });
    mapLayers.arcs.textContent = "";
    mapLayers.arcs.appendChild(arcs);
    facts.meetings.forEach(function (n) {
      if (!meetingsAt.has(n.at)) meetingsAt.set(n.at, []);
      meetingsAt.get(n.at).push(n.id);
    });
    mapLayers.meetings.textContent = "";
    meetingsAt.forEach(function (ids, country) {
      var pt = byId.get(country).pt;
      var dot = svgEl("circle", { "class": "meeting-dot", "data-country": country, "data-count": ids.length });
      var title = svgEl("title");
      title.textContent = ids.length + (ids.length > 1 ? " meetings" : " meeting") + " in " + byId.get(country).label;
      dot.appendChild(title);
      mapLayers.meetings.appendChild(dot);
    });
    // The countries in what is drawn, sized by how many visits and meetings touch them.
    var weight = new Map();
    facts.visits.forEach(function (n) { n.arc.forEach(function (c) { weight.set(c, (weight.get(c) || 0) + 1); }); });
    meetingsAt.forEach(function (ids, c) { weight.set(c, (weight.get(c) || 0) + ids.length); });
    mapLayers.countries.textContent = "";
    mapCountries = Array.from(weight.keys()).sort(function (a, b) { return weight.get(b) - weight.get(a); });
    mapCountries.forEach(function (c) {
      var pt = byId.get(c).pt;
      var dot = svgEl("circle", { "class": "country-dot", "data-id": c });
      var title = svgEl("title"); title.textContent = byId.get(c).label; dot.appendChild(title);
      mapLayers.countries.appendChild(dot);
    });
    placeCountryNames();
    var drawn = facts.visits.length;
    document.getElementById("map-note").textContent = number(drawn) + (drawn === 1 ? " visit" : " visits") + " drawn as arcs, from the visitor's country to the destination; " +
      number(facts.meetings.length) + " meetings at their country" +
      (facts.off ? "; " + number(facts.off) + " visits not on the map (the visitor's or the destination's country is not known)" : "") + ".";
    renderRoutes();
    if (mapSelected) markMap(mapSelected);
  }
  var mapCountries = [];
  /* Dots and names keep their size on screen whatever the zoom. */
  function placeCountryNames() {
    if (!mapSvg) return;
    var u = unit(), size = 12 * u, kept = [];
    mapLayers.countries.querySelectorAll(".country-dot").forEach(function (dot) {
      var pt = byId.get(dot.getAttribute("data-id")).pt;
      dot.setAttribute("cx", pt[0]); dot.setAttribute("cy", pt[1]); dot.setAttribute("r", (4.5 * u).toFixed(2));
    });
    mapLayers.meetings.querySelectorAll(".meeting-dot").forEach(function (dot) {
      var pt = byId.get(dot.getAttribute("data-country")).pt, count = +dot.getAttribute("data-count");
      dot.setAttribute("cx", (pt[0] + 7 * u).toFixed(2)); dot.setAttribute("cy", (pt[1] + 7 * u).toFixed(2));
      dot.setAttribute("r", ((3.5 + Math.sqrt(count) * 2.2) * u).toFixed(2));
    });
    var layer = mapLayers.names;
    layer.textContent = "";
    mapCountries.slice(0, 80).forEach(function (c) {
      var pt = byId.get(c).pt, name = byId.get(c).label;
      var w = name.length * size * 0.56, h = size * 1.2;
      var box = { x1: pt[0] + 4 * u, x2: pt[0] + 4 * u + w, y1: pt[1] - h / 2, y2: pt[1] + h / 2 };
      if (kept.some(function (k) { return box.x1 < k.x2 && k.x1 < box.x2 && box.y1 < k.y2 && k.y1 < box.y2; })) return;
      kept.push(box);
      var text = svgEl("text", { x: box.x1.toFixed(1), y: (pt[1] + size * 0.35).toFixed(1), "font-size": size.toFixed(2),
                                 "stroke-width": (3 * u).toFixed(2), "data-id": c });
      text.textContent = name;
      layer.appendChild(text);
    });
  }
  function renderRoutes() {
    var routes = document.getElementById("routes");
    routes.textContent = "";
    Array.from(arcsByPair.entries()).sort(function (a, b) { return b[1].length - a[1].length; }).slice(0, 60)
      .forEach(function (entry) {
        var ends = entry[0].split(">");
        var button = el("button", { type: "button", class: "route", "data-pair": entry[0] },
          byId.get(ends[0]).label + " → " + byId.get(ends[1]).label, el("span", { class: "n", text: String(entry[1].length) }));
        button.addEventListener("click", function () { showRoute(entry[0]); });
        routes.appendChild(el("li", null, button));
      });
    var places = document.getElementById("meeting-places");
    places.textContent = "";
    Array.from(meetingsAt.entries()).sort(function (a, b) { return b[1].length - a[1].length; }).slice(0, 40)
      .forEach(function (entry) {
        var button = el("button", { type: "button", class: "route", "data-country": entry[0] },
          byId.get(entry[0]).label, el("span", { class: "n", text: String(entry[1].length) }));
        button.addEventListener("click", function () { showMeetingsAt(entry[0]); });
        places.appendChild(el("li", null, button));
      });
  }
  function showRoute(key, focusId) {
    var ids = (arcsByPair.get(key) || []).slice().sort(byTime);
    var ends = key.split(">");
    var box = document.getElementById("details");
    box.textContent = "";
    box.classList.remove("profile");
    box.appendChild(el("div", { class: "kind-badge" }, swatch("visit"), "Route"));
    box.appendChild(el("h2", null, link(ends[0], byId.get(ends[0]).label), " → ", link(ends[1], byId.get(ends[1]).label)));
    factList(box, "Visits", ids, "route-visits");
    mapLayers.arcs.querySelectorAll(".arc").forEach(function (p) {
      p.classList.toggle("lit", p.getAttribute("data-pair") === key);
      p.classList.toggle("chosen", p.getAttribute("data-id") === focusId);
    });
    if (focusId) markTimeline(focusId);
  }
  function showMeetingsAt(country) {
    var ids = (meetingsAt.get(country) || []).slice().sort(byTime);
    var box = document.getElementById("details");
    box.textContent = "";
    box.classList.remove("profile");
    box.appendChild(el("div", { class: "kind-badge" }, swatch("meeting"), "Meetings"));
    box.appendChild(el("h2", null, "Meetings in ", link(country, byId.get(country).label)));
    factList(box, "Meetings", ids, "place-meetings");
  }
  function markMap(id) {
    mapSelected = id;
    if (!mapSvg) return;
    mapLayers.arcs.querySelectorAll(".arc.lit, .arc.chosen").forEach(function (p) { p.classList.remove("lit", "chosen"); });
    if (!id) return;
    var n = byId.get(id);
    var ids = n.kind === "visit" ? [id] : n.kind === "person" || n.kind === "country" ? (n.profile.made || []).concat(n.profile.received || []) : [];
    ids.forEach(function (v) {
      var path = mapLayers.arcs.querySelector('.arc[data-id="' + CSS.escape(v) + '"]');
      if (path) path.classList.add(v === id ? "chosen" : "lit");
    });
  }

  // ------------------------------------------------------------ tabs and keys

  function setTab(tab) {
    state.tab = tab;
    ["graph", "map"].forEach(function (name) {
      var button = document.getElementById("tab-" + name);
      button.setAttribute("aria-selected", String(name === tab));
      button.tabIndex = name === tab ? 0 : -1;
      document.getElementById("panel-" + name).hidden = name !== tab;
    });
    if (tab === "map") {
      var first = !mapSvg;
      if (first) buildMap();
      measureMap();
      if (mapDirty) drawMap();
      if (first) mapFit(); else setMapBox();
    } else {
      cy.resize();
      if (graphStale) { graphStale = false; fitVisible(); } else labels();
    }
  }
  function buildTabs() {
    ["graph", "map"].forEach(function (name, i, all) {
      var button = document.getElementById("tab-" + name);
      button.addEventListener("click", function () { setTab(name); });
      button.addEventListener("keydown", function (ev) {
        if (ev.key !== "ArrowRight" && ev.key !== "ArrowLeft") return;
        var next = all[(i + (ev.key === "ArrowRight" ? 1 : all.length - 1)) % all.length];
        setTab(next);
        document.getElementById("tab-" + next).focus();
        ev.preventDefault();
      });
    });
    document.getElementById("cy").addEventListener("keydown", function (ev) {
      var moves = { ArrowLeft: [60, 0], ArrowRight: [-60, 0], ArrowUp: [0, 60], ArrowDown: [0, -60] };
      var centre = { x: cy.width() / 2, y: cy.height() / 2 };
      if (moves[ev.key]) { cy.panBy({ x: moves[ev.key][0], y: moves[ev.key][1] }); ev.preventDefault(); }
      else if (ev.key === "+" || ev.key === "=") { cy.zoom({ level: cy.zoom() * 1.25, renderedPosition: centre }); ev.preventDefault(); }
      else if (ev.key === "-") { cy.zoom({ level: cy.zoom() / 1.25, renderedPosition: centre }); ev.preventDefault(); }
    });
  }

  // ------------------------------------------------------------ start

  cy.on("tap", "node", function (ev) { select(ev.target.id(), { center: false }); });
  cy.on("tap", "edge.travel", function (ev) { select(ev.target.data("fact"), { center: false }); });
  cy.on("viewport", labels);
  cy.on("dragfree", "node", function (ev) { placed.set(ev.target.id(), Object.assign({}, ev.target.position())); });
  cy.on("tap", function (ev) { if (ev.target === cy) clearSelection(); });
  document.addEventListener("keydown", function (ev) {
    var typing = /^(INPUT|SELECT|TEXTAREA)$/.test(document.activeElement.tagName);
    if (ev.key === "Escape" && document.activeElement.id !== "search") { clearSelection(); stopPlay(); }
    else if (ev.key === "/" && !typing) { document.getElementById("search").focus(); ev.preventDefault(); }
  });

  buildControls();
  buildSearch();
  buildWindow();
  buildTabs();
  renderIntro();
  performance.mark("vnkg:controls");
  state.from = data.since || null;
  state.to = data.until || null;
  if (data.view === "facts") setView("facts"); else apply();
  syncWindow();
  if (data.focus) setFocus(data.focus);
  declutter();  // names decided before the first paint, not one frame later with a second full redraw
  performance.mark("vnkg:applied");
  requestAnimationFrame(function () { performance.mark("vnkg:frame"); drawHistogram(); });

  window.vnkg = {
    cy: cy, data: data, state: state, select: select, search: search, fold: fold, setFocus: setFocus,
    setView: setView, setTab: setTab, setFilter: setFilter, play: play, stopPlay: stopPlay,
    visible: function () { return visible; },
    /* Ids of the visits, meetings, agreements and figures in the drawing, as links or as nodes. */
    drawnFacts: function () {
      var ids = new Set();
      cy.edges().forEach(function (e) { if (e.data("fact")) ids.add(e.data("fact")); });
      cy.nodes(".fact").forEach(function (n) { ids.add(n.id()); });
      return Array.from(ids);
    },
    mapArcs: function () {
      return Array.from(document.querySelectorAll("#map .arc")).map(function (p) { return p.getAttribute("data-id"); });
    },
    ready: false
  };
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
