// thaad explore: the page. Every number is computed on the server (same wiring as the report);
// this script only collects the state, sends it, and draws what comes back.
(function () {
  "use strict";
  var $ = function (id) { return document.getElementById(id); };
  var INFO = null;          // /api/initial
  var seq = 0, shown = 0;   // request counter: drop stale coverage answers
  var timer = null;
  var layers = {};
  var siteMarker = null;
  var footprintSeq = 0;
  var footprintFor = null;  // "threat|launch" of the footprint on the map: redrawn by itself while only the radar changes

  // ---------------------------------------------------------------- map
  var map = L.map("map", { preferCanvas: true, zoomSnap: 0.25, attributionControl: true, worldCopyJump: false });
  map.setView([37.5, 126.5], 5);
  map.attributionControl.setPrefix("Leaflet (BSD-2, served locally)");

  function style(f) {
    var p = f.properties || {};
    if (p.layer === "coast") return { color: "#555", weight: 0.8 };
    if (p.layer === "border") return { color: "#aa3333", weight: 1.0, dashArray: "4 3" };
    if (p.layer === "coverage") return { stroke: false, fillColor: p.colour, fillOpacity: 0.55 };
    if (p.layer === "boresight") return { color: "#d62728", weight: 2, dashArray: "6 4" };
    if (p.layer === "sector") return { color: "#7b3294", weight: 1, fillColor: "#7b3294", fillOpacity: p.el_max_deg >= 90 ? 0.18 : 0.08 };
    if (p.layer === "footprint") return { stroke: true, color: "#fff", weight: 0.5, fillColor: p.defended ? "#1a9850" : "#d73027", fillOpacity: p.defended ? 0.55 : 0.35 };
    return {};
  }

  function legend() {
    var c = L.control({ position: "bottomright" });
    c.onAdd = function () {
      var d = L.DomUtil.create("div", "legend");
      d.id = "legend";
      return d;
    };
    c.addTo(map);
  }

  function setLegend(features) {
    var rows = ["<b>lowest visible altitude</b>"];
    features.forEach(function (f) {
      var p = f.properties;
      rows.push('<i style="background:' + p.colour + '"></i>' + p.alt_min_km + "–" + p.alt_max_km + " km");
    });
    rows.push('<i style="background:#1a9850"></i>defended aim point');
    rows.push('<i style="background:#d73027"></i>threatened, not defended');
    $("legend").innerHTML = rows.join("<br>");
  }

  function replaceLayer(name, geojson, options) {
    if (layers[name]) map.removeLayer(layers[name]);
    layers[name] = L.geoJSON(geojson, Object.assign({ style: style }, options || {})).addTo(map);
    return layers[name];
  }

  // ---------------------------------------------------------------- state <-> controls
  function num(id) {
    var v = $(id).value.trim();
    if (v === "") return null;
    var x = Number(v);
    return isNaN(x) ? v : x;   // a non-number goes to the server, which names the field
  }

  function readState() {
    var place = $("site-place").value;
    var site = place ? { place: place } : { lat_deg: num("site-lat"), lon_deg: num("site-lon"), alt_m: num("site-alt") };
    var sectors = [];
    document.querySelectorAll("#sectors .sector").forEach(function (row) {
      var get = function (k) { var v = row.querySelector('[data-k="' + k + '"]').value.trim(); return v === "" ? null : (isNaN(Number(v)) ? v : Number(v)); };
      var s = { az_start_deg: get("az_start_deg"), az_end_deg: get("az_end_deg") };
      var el = get("el_max_deg");
      if (el !== null) s.el_max_deg = el;
      sectors.push(s);
    });
    return {
      site: site,
      radar: { boresight_deg: num("boresight"), min_elevation_deg: num("min-el") },
      rcs: { warhead_m2: num("rcs") },
      sectors: sectors,
      mode: $("mode").value,
      threat: $("threat").value || null,
      launch: $("launch").value || null
    };
  }

  function addSectorRow(s) {
    var i = document.querySelectorAll("#sectors .sector").length;
    var row = document.createElement("div");
    row.className = "sector";
    var cell = function (k, label, v) {
      return '<label>' + label + ' <input type="number" step="1" data-k="' + k + '" data-field="sectors[' + i + '].' + k + '" value="' + (v === undefined || v === null ? "" : v) + '"></label>';
    };
    row.innerHTML = cell("az_start_deg", "start", s && s.az_start_deg) + cell("az_end_deg", "end", s && s.az_end_deg)
      + cell("el_max_deg", "el max", s ? (s.el_max_deg === undefined ? 90 : s.el_max_deg) : 90)
      + '<button type="button" title="remove">×</button>';
    var wrap = document.createElement("div");
    wrap.appendChild(row);
    ["", ".az_start_deg", ".az_end_deg", ".el_max_deg"].forEach(function (suffix) {
      var e = document.createElement("span");
      e.className = "err";
      e.setAttribute("data-err", "sectors[" + i + "]" + suffix);
      wrap.appendChild(e);
    });
    row.querySelector("button").addEventListener("click", function () { wrap.remove(); renumberSectors(); schedule(); });
    row.querySelectorAll("input").forEach(function (inp) { inp.addEventListener("input", schedule); });
    $("sectors").appendChild(wrap);
  }

  function renumberSectors() {
    var all = [];
    document.querySelectorAll("#sectors .sector").forEach(function (row) {
      var s = {};
      row.querySelectorAll("input").forEach(function (inp) { s[inp.getAttribute("data-k")] = inp.value; });
      all.push(s);
    });
    $("sectors").innerHTML = "";
    all.forEach(addSectorRow);
  }

  function fillThreats(state) {
    var sel = $("threat");
    sel.innerHTML = "";
    var q3 = INFO.threats.filter(function (t) { return t.question === "q3"; });
    (q3.length ? q3 : INFO.threats).forEach(function (t) {
      var o = document.createElement("option");
      o.value = t.name; o.textContent = t.name + " (" + t.missile + ")";
      sel.appendChild(o);
    });
    if (state.threat) sel.value = state.threat;
    fillLaunch(state.launch);
  }

  function fillLaunch(preferred) {
    var sel = $("launch");
    var t = INFO.threats.find(function (x) { return x.name === $("threat").value; });
    sel.innerHTML = "";
    var keys = (t ? t.launch : []).slice();
    INFO.launch_areas.forEach(function (k) { if (keys.indexOf(k) < 0) keys.push(k); });
    keys.forEach(function (k, i) {
      var o = document.createElement("option");
      o.value = k; o.textContent = (PLACES[k] ? PLACES[k].name : k) + (t && t.launch.indexOf(k) >= 0 ? " (in scenario)" : "");
      sel.appendChild(o);
    });
    if (preferred && keys.indexOf(preferred) < 0) {
      var o = document.createElement("option"); o.value = preferred; o.textContent = preferred; sel.appendChild(o);
    }
    if (preferred) sel.value = preferred;
  }

  function applyState(s) {
    if (s.site && s.site.place) {
      $("site-place").value = s.site.place;
      var p = PLACES[s.site.place];
      if (p) { $("site-lat").value = p.lat; $("site-lon").value = p.lon; $("site-alt").value = p.alt; }
    } else if (s.site) {
      $("site-place").value = "";
      $("site-lat").value = s.site.lat_deg; $("site-lon").value = s.site.lon_deg;
      $("site-alt").value = s.site.alt_m === null || s.site.alt_m === undefined ? "" : s.site.alt_m;
    }
    $("boresight").value = s.radar.boresight_deg;
    $("boresight-slider").value = s.radar.boresight_deg;
    $("min-el").value = s.radar.min_elevation_deg === null || s.radar.min_elevation_deg === undefined ? "" : s.radar.min_elevation_deg;
    $("rcs").value = s.rcs.warhead_m2 === null || s.rcs.warhead_m2 === undefined ? "" : s.rcs.warhead_m2;
    $("mode").value = s.mode;
    $("sectors").innerHTML = "";
    (s.sectors || []).forEach(addSectorRow);
    fillThreats(s);
  }

  // ---------------------------------------------------------------- permalink (state in the URL query)
  function toQuery(s) {
    var q = new URLSearchParams();
    q.set("site", s.site.place ? s.site.place : s.site.lat_deg + "," + s.site.lon_deg + (s.site.alt_m === null || s.site.alt_m === undefined ? "" : "," + s.site.alt_m));
    q.set("bs", s.radar.boresight_deg);
    if (s.radar.min_elevation_deg !== null) q.set("minel", s.radar.min_elevation_deg);
    if (s.rcs.warhead_m2 !== null) q.set("rcs", s.rcs.warhead_m2);
    q.set("mode", s.mode);
    if (s.sectors.length) q.set("sec", s.sectors.map(function (x) { return [x.az_start_deg, x.az_end_deg, x.el_max_deg === undefined ? 90 : x.el_max_deg].join(","); }).join(";"));
    if (s.threat) q.set("threat", s.threat);
    if (s.launch) q.set("launch", s.launch);
    return "?" + q.toString();
  }

  function fromQuery(s) {
    var q = new URLSearchParams(window.location.search);
    var nums = function (t) { return t.split(",").map(function (v) { var x = Number(v); return v === "" || isNaN(x) ? v : x; }); };
    if (q.has("site")) {
      var v = q.get("site");
      if (/^-?[\d.]+,-?[\d.]+(,-?[\d.]+)?$/.test(v)) { var ll = nums(v); s.site = { lat_deg: ll[0], lon_deg: ll[1] }; if (ll.length > 2) s.site.alt_m = ll[2]; }
      else s.site = { place: v };
    }
    if (q.has("bs")) s.radar.boresight_deg = nums(q.get("bs"))[0];
    if (q.has("minel")) s.radar.min_elevation_deg = nums(q.get("minel"))[0];
    if (q.has("rcs")) s.rcs.warhead_m2 = nums(q.get("rcs"))[0];
    if (q.has("mode")) s.mode = q.get("mode");
    if (q.has("sec")) s.sectors = q.get("sec").split(";").filter(Boolean).map(function (t) { var a = nums(t); return { az_start_deg: a[0], az_end_deg: a[1], el_max_deg: a[2] }; });
    if (q.has("threat")) s.threat = q.get("threat");
    if (q.has("launch")) s.launch = q.get("launch");
    return s;
  }

  // ---------------------------------------------------------------- errors beside the fields
  function clearErrors() {
    document.querySelectorAll("[data-err]").forEach(function (e) { e.textContent = ""; });
    document.querySelectorAll(".bad").forEach(function (e) { e.classList.remove("bad"); });
  }

  function showErrors(errors) {
    clearErrors();
    errors.forEach(function (e) {
      var f = e.field, slot = null;
      while (f && !(slot = document.querySelector('[data-err="' + f + '"]'))) {
        var cut = Math.max(f.lastIndexOf("."), f.lastIndexOf("["));
        f = cut > 0 ? f.slice(0, cut) : "";
      }
      slot = slot || $("general-errors");
      slot.textContent = (slot.textContent ? slot.textContent + " " : "") + e.line;
      var inp = document.querySelector('[data-field="' + e.field + '"]');
      if (inp) inp.classList.add("bad");
    });
  }

  // ---------------------------------------------------------------- talking to the server
  function post(path, state) {
    return fetch(path, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(state) });
  }

  function schedule() {
    if (timer) clearTimeout(timer);
    timer = setTimeout(update, 120);
  }

  function fmt(x, unit) {
    if (x === null || x === undefined) return "—";
    return Number(x).toLocaleString("en-US") + (unit ? " " + unit : "");
  }

  function update() {
    var state = readState();
    var my = ++seq;
    var t0 = performance.now();
    history.replaceState(null, "", toQuery(state));
    $("permalink").href = window.location.pathname + toQuery(state);
    $("status").textContent = "computing…";
    document.body.setAttribute("data-busy", "1");
    post("/api/coverage", state).then(function (r) {
      return r.json().then(function (body) { return { ok: r.ok, body: body }; });
    }).then(function (res) {
      if (my !== seq) return;   // a newer change is on its way
      document.body.removeAttribute("data-busy");
      if (!res.ok) { showErrors(res.body.errors || []); $("status").textContent = "not computed: fix the marked field"; return; }
      clearErrors();
      draw(res.body);
      shown = my;
      var rt = Math.round(performance.now() - t0);
      $("status").textContent = "coverage computed in " + res.body.compute_ms + " ms on the server (" + rt + " ms round trip), "
        + res.body.numbers.grid_cells + " cells at " + res.body.numbers.grid_km + " km";
      document.body.setAttribute("data-coverage-seq", String(my));
    }).catch(function (err) {
      if (my !== seq) return;
      document.body.removeAttribute("data-busy");
      $("status").textContent = "server unreachable: " + err;
    });
  }

  function draw(body) {
    replaceLayer("coverage", body.coverage).bringToBack();
    if (layers.basemap) layers.basemap.bringToFront();
    replaceLayer("decor", body.decorations);
    setLegend(body.coverage.features);
    var s = body.site;
    siteMarker.setLatLng([s.lat_deg, s.lon_deg]);
    var n = body.numbers;
    $("cov-what").textContent = "(" + n.mode + " mode, " + n.rcs_m2 + " m², " + n.level + " estimates)";
    $("num-area").textContent = fmt(n.area_km2, "km²");
    $("row-lost").hidden = n.area_lost_pct === undefined;
    if (n.area_lost_pct !== undefined) $("num-lost").textContent = fmt(n.area_lost_pct, "%") + " of " + fmt(n.area_without_sectors_km2, "km²");
    $("num-range").textContent = fmt(n.detection_range_km, "km");
    $("num-far").textContent = fmt(n.farthest_km, "km") + " at " + fmt(n.farthest_azimuth_deg, "°")
      + (n.farthest_beyond_map ? ", beyond the map" : "");
    $("num-cn").textContent = n.places_in_view.CN + " of " + n.places_total.CN;
    $("num-kp").textContent = n.places_in_view.KP + " of " + n.places_total.KP;
    var rows = body.places.filter(function (p) { return p.lowest_alt_km !== null; }).map(function (p) {
      return "<tr><td>" + p.name + "</td><td>" + p.country + "</td><td class=n>" + fmt(p.distance_km) + "</td><td class=n>" + fmt(p.lowest_alt_km) + "</td></tr>";
    });
    $("places-table").querySelector("tbody").innerHTML = rows.join("") || "<tr><td colspan=4>none: no Chinese or North Korean place is in view at any altitude</td></tr>";
    if (layers.footprint) {
      var st = readState();
      if (footprintFor && footprintFor === st.threat + "|" + st.launch) { footprint(); return; }  // flights cached: quick
      map.removeLayer(layers.footprint); layers.footprint = null; footprintFor = null;
      $("fp-area").textContent = "changed: compute again"; $("fp-share").textContent = ""; $("fp-places").textContent = "";
    }
  }

  function footprint() {
    var state = readState();
    var my = ++footprintSeq;
    $("fp-area").textContent = "computing… (takes seconds)";
    $("footprint-btn").disabled = true;
    post("/api/footprint", state).then(function (r) {
      return r.json().then(function (body) { return { ok: r.ok, body: body }; });
    }).then(function (res) {
      $("footprint-btn").disabled = false;
      if (my !== footprintSeq) return;
      if (!res.ok) { showErrors(res.body.errors || []); $("fp-area").textContent = "not computed"; return; }
      var n = res.body.numbers;
      replaceLayer("footprint", res.body.footprint);
      footprintFor = state.threat + "|" + state.launch;
      $("fp-area").textContent = fmt(n.defended_area_km2, "km²") + " of " + fmt(n.aim_area_km2, "km²");
      $("fp-share").textContent = fmt(n.share_of_south_korea_pct, "%");
      var names = Object.keys(n.places_defended);
      $("fp-places").textContent = names.filter(function (k) { return n.places_defended[k]; }).join(", ") || "none";
      $("status").textContent = "footprint (" + n.threat + " from " + n.launch + ", " + n.aim_points + " aim points at "
        + n.footprint_km + " km) computed in " + (res.body.compute_ms / 1000).toFixed(1) + " s on the server"
        + (n.flights_reused ? " (flights reused)" : "");
    }).catch(function (err) { $("footprint-btn").disabled = false; $("fp-area").textContent = "server unreachable: " + err; });
  }

  function save() {
    var state = readState();
    post("/api/scenario", state).then(function (r) {
      if (!r.ok) return r.json().then(function (b) { showErrors(b.errors || []); });
      return r.text().then(function (text) {
        clearErrors();
        var url = URL.createObjectURL(new Blob([text], { type: "application/toml" }));
        var a = document.createElement("a");
        a.href = url; a.download = "thaad_explore_scenario.toml";
        document.body.appendChild(a); a.click(); a.remove();
        setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
        $("status").textContent = "scenario saved (thaad_explore_scenario.toml)";
      });
    });
  }

  // ---------------------------------------------------------------- start
  var PLACES = {};
  function getJSON(path) { return fetch(path).then(function (r) { return r.json(); }); }

  Promise.all([getJSON("/api/initial"), getJSON("/api/places"), getJSON("/api/basemap")]).then(function (all) {
    INFO = all[0];
    var places = all[1], base = all[2];
    $("base-name").textContent = INFO.base;
    map.attributionControl.addAttribution(base.attribution);
    layers.basemap = L.geoJSON(base, { style: style, interactive: false }).addTo(map);
    var sel = $("site-place");
    var o0 = document.createElement("option"); o0.value = ""; o0.textContent = "(latitude / longitude below)"; sel.appendChild(o0);
    places.features.forEach(function (f) {
      var p = f.properties, c = f.geometry.coordinates;
      PLACES[p.key] = { name: p.name, lat: c[1], lon: c[0], alt: p.alt_m, country: p.country, kind: p.kind };
      if (["site", "base", "city"].indexOf(p.kind) >= 0) {
        var o = document.createElement("option"); o.value = p.key; o.textContent = p.name + " (" + p.country + ")"; sel.appendChild(o);
      }
    });
    L.geoJSON(places, {
      pointToLayer: function (f, ll) {
        var p = f.properties, launch = p.kind === "launch-area";
        var colour = { CN: "#c51b7d", KP: "#e66101", KR: "#2c7bb6", JP: "#555", RU: "#555", US: "#555" }[p.country] || "#555";
        var m = L.circleMarker(ll, { radius: launch ? 4 : 3, color: colour, weight: launch ? 2 : 1, fillColor: launch ? "#fff" : colour, fillOpacity: 1 });
        m.bindTooltip(p.name + (launch ? " (launch area)" : ""), { direction: "right", className: "place-label", permanent: p.tags.indexOf("report") >= 0 });
        return m;
      }
    }).addTo(map);
    ["terminal", "forward-based"].forEach(function (m) { var o = document.createElement("option"); o.value = m; o.textContent = m; $("mode").appendChild(o); });
    $("footprint-note").textContent = "Interactive footprint: aim points every " + INFO.footprint.km + " km over South Korean land, nominal estimates only (no Monte Carlo band; the saved scenario's report has it). The first footprint for a threat and launch area flies the missiles (tens of seconds on a busy 2-core machine); after that it follows the radar by itself, in about a second.";
    var state = fromQuery(JSON.parse(JSON.stringify(INFO.state)));
    siteMarker = L.marker([0, 0], { draggable: true, title: "radar site: drag me" }).addTo(map);
    siteMarker.on("dragend", function () {
      var ll = siteMarker.getLatLng();
      $("site-place").value = "";
      $("site-lat").value = ll.lat.toFixed(4); $("site-lon").value = ll.lng.toFixed(4); $("site-alt").value = "";
      schedule();
    });
    applyState(state);
    legend();
    var b = INFO.box;
    map.fitBounds([[b[2], b[0]], [b[3], b[1]]]);
    ["site-lat", "site-lon", "site-alt", "boresight", "min-el", "rcs"].forEach(function (id) { $(id).addEventListener("input", schedule); });
    ["site-place", "mode", "launch"].forEach(function (id) { $(id).addEventListener("change", schedule); });
    $("site-place").addEventListener("change", function () {
      var p = PLACES[$("site-place").value];
      if (p) { $("site-lat").value = p.lat; $("site-lon").value = p.lon; $("site-alt").value = p.alt; }
    });
    $("site-lat").addEventListener("input", function () { $("site-place").value = ""; });
    $("site-lon").addEventListener("input", function () { $("site-place").value = ""; });
    $("site-alt").addEventListener("input", function () { $("site-place").value = ""; });
    $("threat").addEventListener("change", function () { fillLaunch(null); schedule(); });
    $("boresight").addEventListener("input", function () { $("boresight-slider").value = $("boresight").value; });
    $("boresight-slider").addEventListener("input", function () { $("boresight").value = $("boresight-slider").value; schedule(); });
    $("add-sector").addEventListener("click", function () { addSectorRow({ az_start_deg: 240, az_end_deg: 305, el_max_deg: 90 }); schedule(); });
    $("footprint-btn").addEventListener("click", footprint);
    $("save").addEventListener("click", save);
    update();
  }).catch(function (err) { $("status").textContent = "could not load the page data: " + err; });
})();
