// Map of an aller-vers plan: département outlines as basemap (tiles only when the site configures
// a tile server), the communes of the départements concerned, filled when the plan has to cover
// them (green: reached by a stop, orange: not reached), and one numbered marker per stop. Leaflet
// is served locally; the page gives the same information as tables.
(function () {
  "use strict";
  var element = document.getElementById("itinerance-carte");
  var dataElement = document.getElementById("itinerance-carte-donnees");
  if (!element || !dataElement || typeof MaillonMap === "undefined") {
    return;
  }
  var data = JSON.parse(dataElement.textContent);
  var map = MaillonMap.create(element, { outlines: true });
  MaillonMap.basemap(map, element);
  var fills = { couverte: "#6fc28b", non_couverte: "#f3a25c" };
  (element.dataset.communes || "").split(" ").filter(Boolean).forEach(function (url) {
    MaillonMap.load(url).then(function (geojson) {
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
