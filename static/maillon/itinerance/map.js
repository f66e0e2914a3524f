// Map of an aller-vers plan: département outlines as basemap (tiles only when the site configures
// a tile server), the communes of the départements concerned, filled when the plan has to cover
// them (green: reached by a stop, orange: not reached), and one numbered marker per stop. Leaflet
// is served locally; the page gives the same information as tables.
(function () {
  "use strict";
  var element = document.getElementById("itinerance-carte");
  var dataElement = document.getElementById("itinerance-carte-donnees");
  if (!element || !dataElement || typeof L === "undefined") {
    return;
  }
  var data = JSON.parse(dataElement.textContent);
  var map = L.map(element, { zoomSnap: 0.5, attributionControl: true });
  map.attributionControl.setPrefix(false);
  var tiles = element.dataset.tiles;
  if (tiles) {
    L.tileLayer(tiles, { maxZoom: 19, attribution: "Fond de carte configuré par le site" }).addTo(map);
  }
  function load(url) {
    return fetch(url).then(function (response) {
      return response.json();
    });
  }
  load(element.dataset.basemap).then(function (geojson) {
    L.geoJSON(geojson, {
      interactive: false,
      style: { color: "#6a6af4", weight: 1, fillColor: "#f5f5fe", fillOpacity: tiles ? 0 : 1 },
    })
      .addTo(map)
      .bringToBack();
  });
  var fills = { couverte: "#6fc28b", non_couverte: "#f3a25c" };
  (element.dataset.communes || "").split(" ").filter(Boolean).forEach(function (url) {
    load(url).then(function (geojson) {
      L.geoJSON(geojson, {
        interactive: false,
        style: function (feature) {
          var state = data.communes[feature.properties.code];
          return {
            color: "#929292",
            weight: 0.6,
            fill: Boolean(state),
            fillColor: fills[state] || "#ffffff",
            fillOpacity: 0.7,
          };
        },
      }).addTo(map);
      stops.bringToFront();
    });
  });
  map.attributionControl.addAttribution("Contours : IGN Admin Express (Licence Ouverte)");

  var stops = L.featureGroup().addTo(map);
  data.arrets.forEach(function (stop) {
    var marker = L.circleMarker([stop.lat, stop.lon], {
      radius: 9,
      color: "#ffffff",
      weight: 2,
      fillColor: "#000091",
      fillOpacity: 1,
    }).addTo(stops);
    marker.bindTooltip(String(stop.ordre), {
      permanent: true,
      direction: "right",
      className: "maillon-itinerance-stop-label",
    });
    var popup = document.createElement("p");
    popup.textContent = stop.ordre + ". " + stop.nom + " : " + stop.gain + " personnes de plus";
    marker.bindPopup(popup);
  });
  if (data.arrets.length) {
    map.fitBounds(stops.getBounds(), { padding: [40, 40], maxZoom: 11 });
  } else {
    map.setView([46.6, 2.4], 5.5);
  }
})();
