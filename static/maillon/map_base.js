// What every Maillon map shares (directory, diagnosis, aller-vers): Leaflet served locally, no
// prefix link, a tile layer only when the site configures a tile server, GeoJSON read from the
// site itself, and the shipped département outlines as basemap. Loaded before each page's map.
(function () {
  "use strict";
  var OUTLINES_ATTRIBUTION = "Contours : IGN Admin Express (Licence Ouverte)";

  function load(url) {
    return fetch(url).then(function (response) {
      return response.json();
    });
  }

  // The map of `element`; `element.dataset.tiles` names the optional tile server.
  function create(element, options) {
    var map = L.map(element, { zoomSnap: options.zoomSnap || 0.5, attributionControl: true });
    map.attributionControl.setPrefix(false);
    if (element.dataset.tiles) {
      L.tileLayer(element.dataset.tiles, {
        maxZoom: 19,
        attribution: "Fond de carte configuré par le site",
      }).addTo(map);
    }
    if (options.outlines) {
      map.attributionControl.addAttribution(OUTLINES_ATTRIBUTION);
    }
    return map;
  }

  // Département outlines under everything else, filled when there are no tiles.
  function basemap(map, element) {
    var url = element.dataset.basemap;
    if (!url) {
      return;
    }
    load(url).then(function (geojson) {
      L.geoJSON(geojson, {
        interactive: false,
        style: {
          color: "#6a6af4",
          weight: 1,
          fillColor: "#f5f5fe",
          fillOpacity: element.dataset.tiles ? 0 : 1,
        },
      })
        .addTo(map)
        .bringToBack();
    });
  }

  window.MaillonMap = { load: load, create: create, basemap: basemap };
})();
