// Map of the directory: the shipped département outlines as basemap (a tile layer only when the
// site configures a tile server), one marker per place linking to its page. Leaflet is local.
(function () {
  "use strict";
  var element = document.getElementById("lieux-carte");
  var dataElement = document.getElementById("lieux-carte-donnees");
  if (!element || !dataElement || typeof MaillonMap === "undefined") {
    return;
  }
  var places = JSON.parse(dataElement.textContent);
  var map = MaillonMap.create(element, { outlines: true });
  MaillonMap.basemap(map, element);
  // Commune outlines of the searched area, drawn over the départements' fill.
  (element.dataset.communes || "").split(" ").filter(Boolean).forEach(function (url) {
    MaillonMap.load(url).then(function (geojson) {
      L.geoJSON(geojson, {
        interactive: false,
        style: { color: "#929292", weight: 0.6, fill: false },
      }).addTo(map);
    });
  });

  var bounds = [];
  places.forEach(function (place) {
    var point = [place.lat, place.lon];
    bounds.push(point);
    var marker = L.circleMarker(point, {
      radius: place.approx ? 5 : 7,
      color: "#000091",
      weight: 2,
      dashArray: place.approx ? "3" : null,
      fillColor: place.ouvert ? "#18753c" : "#000091",
      fillOpacity: 0.8,
    }).addTo(map);
    var popup = document.createElement("div");
    var link = document.createElement("a");
    link.href = place.url;
    link.textContent = place.nom;
    popup.appendChild(link);
    if (place.approx) {
      var note = document.createElement("p");
      note.textContent = "Position approximative (centre de la commune)";
      popup.appendChild(note);
    }
    if (place.ouvert === true) {
      var open = document.createElement("p");
      open.textContent = "Ouvert actuellement";
      popup.appendChild(open);
    }
    marker.bindPopup(popup);
  });

  // A search around a point frames its results; without one, the whole country (metropolitan
  // France: framing every place would zoom out to the globe because of overseas places).
  if (element.dataset.centerLat && bounds.length) {
    map.fitBounds(bounds, { padding: [30, 30], maxZoom: 14 });
  } else if (element.dataset.centerLat) {
    map.setView([parseFloat(element.dataset.centerLat), parseFloat(element.dataset.centerLon)], 11);
  } else {
    map.setView([46.6, 2.4], 5.5);
  }
})();
