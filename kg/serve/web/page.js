/* The query page: YASGUI against this server's /sparql, example queries one click away,
 * and a "Graph" result view for CONSTRUCT/DESCRIBE. Everything stays on this origin:
 * no endpoint catalogue, no CORS proxy, no remote autocompletion, nothing persisted. */
(function () {
  "use strict";
  var endpoint = new URL("/sparql", window.location.href).href;
  document.getElementById("kg-endpoint").textContent = endpoint;

  function termOf(t) {
    if (t.termType === "NamedNode") return { type: "uri", value: t.value };
    if (t.termType === "BlankNode") return { type: "bnode", value: t.value };
    return { type: "literal", value: t.value, lang: t.language || "" };
  }

  function GraphPlugin(yasr) {
    this.yasr = yasr;
    this.priority = 20;          /* above the table, so graph results open as a drawing */
    this.label = "Graph";
  }
  GraphPlugin.prototype.canHandleResults = function () {
    var r = this.yasr.results;
    return !!r && !r.getError() && r.getType() === "ttl";
  };
  GraphPlugin.prototype.getIcon = function () {
    var icon = document.createElement("span");
    icon.className = "kg-graph-icon";
    icon.textContent = "◉";
    return icon;
  };
  GraphPlugin.prototype.draw = function () {
    var box = document.createElement("div");
    box.className = "kg-graph";
    this.yasr.resultsEl.appendChild(box);
    var triples = this.yasr.results.getStatements().map(function (q) {
      return { s: termOf(q.subject), p: termOf(q.predicate), o: termOf(q.object) };
    });
    window.KgGraph.draw(box, triples);
  };

  Yasgui.Yasr.registerPlugin("graph", GraphPlugin);
  Yasgui.Yasr.defaults.pluginOrder = ["table", "graph", "response"];
  /* plain values in the table; the Response view keeps datatypes and language tags */
  Yasgui.Yasr.defaults.plugins.table = { enabled: true, dynamicConfig: { compact: true, pageSize: 50 } };
  Yasgui.Yasqe.defaults.autocompleters = ["prefixes", "variables"];   /* the others ask remote services */

  var yasgui = new Yasgui(document.getElementById("yasgui"), {
    requestConfig: { endpoint: endpoint, method: "POST" },
    copyEndpointOnNewTab: false,
    endpointCatalogueOptions: { getData: function () { return [{ endpoint: endpoint }]; } },
    persistenceId: null,
    populateFromUrl: false,
    corsProxy: undefined,
    yasqe: { autocompleters: ["prefixes", "variables"], resizeable: true, editorHeight: "320px" },
    yasr: { pluginOrder: ["table", "graph", "response"], defaultPlugin: "table", persistenceId: null }
  });

  function tab() { return yasgui.getTab(); }

  /* Graph results open as a drawing, tables as a table (Yasr keeps the last choice otherwise). */
  yasgui.on("queryResponse", function (instance, current) {
    window.setTimeout(function () {
      var yasr = current.getYasr();
      if (!yasr || !yasr.results || yasr.results.getError()) return;
      var isGraph = yasr.results.getType() === "ttl";
      if (isGraph && yasr.getSelectedPluginName() !== "graph") yasr.selectPlugin("graph");
      if (!isGraph && yasr.getSelectedPluginName() === "graph") yasr.selectPlugin("table");
    }, 0);
  });

  function showExamples(examples) {
    var list = document.getElementById("kg-example-list");
    examples.forEach(function (example) {
      var item = document.createElement("li");
      var button = document.createElement("button");
      button.type = "button";
      button.className = "kg-example";
      button.dataset.example = example.name;
      button.title = example.description;
      button.textContent = example.title;
      var small = document.createElement("small");
      small.textContent = example.name + ".rq";
      button.appendChild(small);
      button.addEventListener("click", function () {
        document.querySelectorAll(".kg-example.active").forEach(function (b) { b.classList.remove("active"); });
        button.classList.add("active");
        var yasqe = tab().getYasqe();
        yasqe.setValue(example.query);
        yasqe.query();
      });
      item.appendChild(button);
      list.appendChild(item);
    });
    if (examples.length && !tab().getYasqe().getValue().trim().length) {
      tab().getYasqe().setValue(examples[0].query);
    }
  }

  fetch("/examples").then(function (r) { return r.json(); }).then(showExamples).catch(function (err) {
    document.getElementById("kg-example-list").textContent = "Examples could not be loaded: " + err;
  });
})();
