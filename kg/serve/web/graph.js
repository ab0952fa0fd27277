/* Draw a small RDF graph (CONSTRUCT / DESCRIBE results) as an SVG with a force layout.
 * Resources are nodes, resource-to-resource triples are arrows; labels (rdfs:label,
 * vnkg:title, schema:headline...) name the nodes, rdf:type colours them, other
 * literals go into the node's tooltip. No dependency, nothing fetched. */
(function (global) {
  "use strict";
  var SVG = "http://www.w3.org/2000/svg";
  var RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";
  var LABELS = ["http://www.w3.org/2000/01/rdf-schema#label", "http://www.w3.org/2004/02/skos/core#prefLabel",
    "https://schema.org/name", "https://w3id.org/vnkg/ontology#title", "https://schema.org/headline"];
  var PALETTE = ["#3b6fb6", "#d9822b", "#3f9e5a", "#b8453a", "#7a5bb5", "#2a9ca3", "#a7832a", "#c2528b", "#5f6b7a"];
  var MAX_NODES = 200;

  function localName(iri) {
    var m = /[#\/]([^#\/]+)[#\/]?$/.exec(iri);
    return m ? decodeURIComponent(m[1]) : iri;
  }

  function shortIri(iri) {
    var m = /\/id\/([^\/]+)\/([^\/]+)$/.exec(iri);  // vnkg resources: kind/slug
    return m ? m[1] + ":" + m[2] : localName(iri);
  }

  function el(name, attrs, parent) {
    var node = document.createElementNS(SVG, name);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (parent) parent.appendChild(node);
    return node;
  }

  /* triples: [{s: {type, value}, p: {type, value}, o: {type, value, lang}}] with type "uri" | "bnode" | "literal". */
  function build(triples) {
    var nodes = {}, order = [], edges = [], truncated = false;
    function node(term) {
      var key = term.type + " " + term.value;
      if (!nodes[key]) {
        if (order.length >= MAX_NODES) { truncated = true; return null; }
        nodes[key] = { key: key, term: term, label: null, labelRank: 99, types: [], notes: [], x: 0, y: 0, vx: 0, vy: 0 };
        order.push(nodes[key]);
      }
      return nodes[key];
    }
    triples.forEach(function (t) {
      var s = node(t.s);
      if (!s) return;
      if (t.p.value === RDF_TYPE && t.o.type !== "literal") { s.types.push(localName(t.o.value)); return; }
      if (t.o.type === "literal") {
        var rank = LABELS.indexOf(t.p.value);
        var better = rank >= 0 && (rank < s.labelRank || (rank === s.labelRank && t.o.lang === "vi"));
        if (better) { s.label = t.o.value; s.labelRank = rank; }
        else s.notes.push(localName(t.p.value) + ": " + t.o.value);
        return;
      }
      var o = node(t.o);
      if (o) edges.push({ source: s, target: o, label: localName(t.p.value) });
    });
    return { nodes: order, edges: edges, truncated: truncated };
  }

  /* Fruchterman-Reingold: repulsion k²/d between all nodes, attraction d²/k along links and a
   * pull to the centre, moves capped by a cooling temperature; the result is then scaled to
   * fill the frame, so only the shape matters. */
  function layout(g, width, height) {
    var n = g.nodes.length, k = 100;
    g.nodes.forEach(function (d, i) {
      var a = (2 * Math.PI * i) / Math.max(n, 1);
      d.x = 300 * Math.cos(a) + (i % 3);
      d.y = 300 * Math.sin(a) + (i % 5);
    });
    var temperature = 60;
    for (var iter = 0; iter < 400; iter++) {
      g.nodes.forEach(function (d) { d.vx = -d.x * 0.6 * k / 30; d.vy = -d.y * 0.6 * k / 30; });
      for (var i = 0; i < n; i++) {
        for (var j = i + 1; j < n; j++) {
          var a = g.nodes[i], b = g.nodes[j];
          var dx = a.x - b.x, dy = a.y - b.y, dist = Math.sqrt(dx * dx + dy * dy) || 0.01;
          var force = (k * k) / dist;
          a.vx += (dx / dist) * force; a.vy += (dy / dist) * force;
          b.vx -= (dx / dist) * force; b.vy -= (dy / dist) * force;
        }
      }
      g.edges.forEach(function (e) {
        if (e.source === e.target) return;
        var dx = e.source.x - e.target.x, dy = e.source.y - e.target.y, dist = Math.sqrt(dx * dx + dy * dy) || 0.01;
        var force = (dist * dist) / k;
        e.source.vx -= (dx / dist) * force; e.source.vy -= (dy / dist) * force;
        e.target.vx += (dx / dist) * force; e.target.vy += (dy / dist) * force;
      });
      g.nodes.forEach(function (d) {
        var v = Math.sqrt(d.vx * d.vx + d.vy * d.vy) || 0.01;
        d.x += (d.vx / v) * Math.min(v, temperature);
        d.y += (d.vy / v) * Math.min(v, temperature);
      });
      temperature = Math.max(0.5, temperature * 0.985);
    }
    var left = 50, right = 170, top = 30, bottom = 30;   /* room for labels right of the dots */
    var xs = g.nodes.map(function (d) { return d.x; }), ys = g.nodes.map(function (d) { return d.y; });
    var minX = Math.min.apply(null, xs), maxX = Math.max.apply(null, xs);
    var minY = Math.min.apply(null, ys), maxY = Math.max.apply(null, ys);
    var scale = Math.min((width - left - right) / Math.max(maxX - minX, 1), (height - top - bottom) / Math.max(maxY - minY, 1));
    var offX = left + (width - left - right - (maxX - minX) * scale) / 2, offY = top + (height - top - bottom - (maxY - minY) * scale) / 2;
    g.nodes.forEach(function (d) { d.x = offX + (d.x - minX) * scale; d.y = offY + (d.y - minY) * scale; });
  }

  function draw(container, triples) {
    container.innerHTML = "";
    var g = build(triples);
    var width = 900, height = 520;
    layout(g, width, height);
    var types = [];
    g.nodes.forEach(function (d) { var t = d.types[0] || ""; if (types.indexOf(t) < 0) types.push(t); });
    function colour(d) { return PALETTE[types.indexOf(d.types[0] || "") % PALETTE.length]; }

    var caption = document.createElement("p");
    caption.className = "kg-caption";
    caption.textContent = g.nodes.length + " nodes, " + g.edges.length + " links" +
      (g.truncated ? " (only the first " + MAX_NODES + " nodes are drawn)" : "");
    container.appendChild(caption);

    var svg = el("svg", { viewBox: "0 0 " + width + " " + height, class: "kg-graph-svg",
                          role: "img", "aria-label": "graph of the query results" }, container);
    var defs = el("defs", {}, svg);
    var marker = el("marker", { id: "kg-arrow", viewBox: "0 0 10 10", refX: "19", refY: "5", markerWidth: "7",
                                markerHeight: "7", orient: "auto-start-reverse" }, defs);
    el("path", { d: "M 0 0 L 10 5 L 0 10 z", fill: "#8a94a6" }, marker);

    g.edges.forEach(function (e) {
      el("line", { x1: e.source.x, y1: e.source.y, x2: e.target.x, y2: e.target.y, stroke: "#a5adbd",
                   "stroke-width": 1.4, "marker-end": "url(#kg-arrow)", class: "kg-edge" }, svg);
      var t = el("text", { x: (e.source.x + e.target.x) / 2, y: (e.source.y + e.target.y) / 2 - 3,
                           "font-size": 10, fill: "#6b7485", "text-anchor": "middle" }, svg);
      t.textContent = e.label;
    });
    g.nodes.forEach(function (d) {
      var group = el("g", { class: "kg-node", transform: "translate(" + d.x + "," + d.y + ")" }, svg);
      el("circle", { r: 9, fill: colour(d), stroke: "#fff", "stroke-width": 2 }, group);
      var text = el("text", { x: 12, y: 4, "font-size": 13, fill: "#1d2330" }, group);
      text.textContent = d.label || (d.term.type === "bnode" ? "_:" + d.term.value : shortIri(d.term.value));
      var title = el("title", {}, group);
      title.textContent = [d.term.value].concat(d.types.length ? ["type: " + d.types.join(", ")] : [], d.notes).join("\n");
    });

    var legend = document.createElement("div");
    legend.className = "kg-legend";
    types.forEach(function (t, i) {
      var item = document.createElement("span");
      var dot = document.createElement("i");
      dot.style.background = PALETTE[i % PALETTE.length];
      item.appendChild(dot);
      item.appendChild(document.createTextNode(t || "(no type)"));
      legend.appendChild(item);
    });
    container.appendChild(legend);
    return g;
  }

  global.KgGraph = { draw: draw, build: build, layout: layout };
})(window);
