/* Map of a tour: the depot and the stops numbered in order, joined by straight lines
   (the order, not the roads). Points come from the page (json_script); without tiles the
   markers and the line still show, and the table gives the same stops. */
(function () {
  "use strict";
  function numbered(label, extra) {
    // The label is a stop number or "D" (depot), never text from the page.
    return L.divIcon({ className: "stop-marker" + (extra ? " " + extra : ""), html: label, iconSize: [28, 28] });
  }
  function init() {
    var holder = document.getElementById("tour-map");
    var data = document.getElementById("tour-points");
    var depotData = document.getElementById("tour-depot");
    if (!holder || !data || typeof L === "undefined") { return; }
    var points = JSON.parse(data.textContent);
    var depot = depotData ? JSON.parse(depotData.textContent) : null;
    if (!points.length) { return; }
    holder.textContent = "";
    L.Icon.Default.imagePath = holder.dataset.imagePath || L.Icon.Default.imagePath;
    var map = L.map(holder, { scrollWheelZoom: false, keyboard: true });
    L.tileLayer("https://tile.openstreetmap.org/{z}/{x}/{y}.png", {
      maxZoom: 18,
      attribution: '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>'
    }).addTo(map);
    var line = [];
    function add(p, label, extra) {
      var icon = numbered(/^[0-9D]+$/.test(label) ? label : "", extra);
      var marker = L.marker([p.lat, p.lon], { icon: icon, title: label + " — " + p.name, alt: label + " — " + p.name }).addTo(map);
      var box = document.createElement("div");
      var strong = document.createElement("strong");
      strong.textContent = label + ". " + p.name;
      box.appendChild(strong);
      marker.bindPopup(box);
      line.push([p.lat, p.lon]);
    }
    if (depot) { add(depot, "D", "depot"); }
    points.forEach(function (p) { add(p, String(p.order)); });
    if (depot) { line.push([depot.lat, depot.lon]); }
    L.polyline(line, { color: "#0b5d4b", weight: 4, opacity: 0.8 }).addTo(map);
    map.fitBounds(line, { padding: [40, 40] });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); }
  else { init(); }
}());
