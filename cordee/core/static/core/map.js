/* Sites map: reads the points given by the page (json_script) and draws them with Leaflet.
   Tiles come from OpenStreetMap through the browser; without them the markers still show
   on a plain background, and the page's list gives the same places. */
(function () {
  "use strict";
  function init() {
    var holder = document.getElementById("site-map");
    var data = document.getElementById("map-points");
    if (!holder || !data || typeof L === "undefined") { return; }
    var points = JSON.parse(data.textContent);
    if (!points.length) { return; }
    holder.textContent = "";
    L.Icon.Default.imagePath = holder.dataset.imagePath || L.Icon.Default.imagePath;
    var map = L.map(holder, { scrollWheelZoom: false, keyboard: true });
    L.tileLayer("https://tile.openstreetmap.org/{z}/{x}/{y}.png", {
      maxZoom: 18,
      attribution: '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>'
    }).addTo(map);
    var bounds = [];
    points.forEach(function (p) {
      var marker = L.marker([p.lat, p.lon], { title: p.name, alt: p.name }).addTo(map);
      var box = document.createElement("div");
      var strong = document.createElement("strong");
      strong.textContent = p.name;
      box.appendChild(strong);
      [p.kind, p.address].forEach(function (line) {
        if (line) { box.appendChild(document.createElement("br")); box.appendChild(document.createTextNode(line)); }
      });
      marker.bindPopup(box);
      bounds.push([p.lat, p.lon]);
    });
    if (bounds.length === 1) { map.setView(bounds[0], 13); }
    // Room for the pins (drawn above their point), the zoom buttons and the map credit.
    else { map.fitBounds(bounds, { paddingTopLeft: [60, 60], paddingBottomRight: [40, 40] }); }
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); }
  else { init(); }
}());
