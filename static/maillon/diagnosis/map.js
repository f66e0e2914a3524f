// Choropleth of the territorial diagnosis: the shipped outlines (communes of a département, or
// départements) coloured by class, one indicator at a time. Leaflet is served locally; a tile
// layer only when the site configures a tile server. The same figures are in the page's tables.
(function () {
  "use strict";
  var element = document.getElementById("diagnostic-carte");
  var dataElement = document.getElementById("diagnostic-carte-donnees");
  if (!element || !dataElement || typeof MaillonMap === "undefined") {
    return;
  }
  var data = JSON.parse(dataElement.textContent);
  var palette = ["#f4f6fe", "#c5cbf4", "#8b95e7", "#5252c6", "#1b1b6d"];
  var unknown = "#e5e5e5";
  var indicator = 0;
  var layers = [];
  var map = MaillonMap.create(element, { zoomSnap: 0.25, outlines: true });

  function fill(code) {
    var classes = data.classes[code];
    var index = classes ? classes[indicator] : -1;
    return index >= 0 && index < palette.length ? palette[index] : unknown;
  }

  function style(feature) {
    return { color: "#666666", weight: 0.5, fillColor: fill(feature.properties.code), fillOpacity: 0.85 };
  }

  function describe(feature) {
    var values = data.values[feature.properties.code] || [];
    var box = document.createElement("div");
    var title = document.createElement("strong");
    title.textContent = feature.properties.nom + " (" + feature.properties.code + ")";
    box.appendChild(title);
    data.indicators.forEach(function (item, position) {
      var line = document.createElement("p");
      line.textContent = item.label + " : " + (values[position] || "non disponible");
      box.appendChild(line);
    });
    return box;
  }

  var bounds = null;
  var urls = (element.dataset.outlines || "").split(" ").filter(Boolean);
  urls.forEach(function (url) {
    MaillonMap.load(url).then(function (geojson) {
      var layer = L.geoJSON(geojson, {
        filter: function (feature) {
          return Object.prototype.hasOwnProperty.call(data.classes, feature.properties.code);
        },
        style: style,
        onEachFeature: function (feature, shape) {
          shape.bindPopup(describe(feature));
          var code = feature.properties.code;
          // Frame metropolitan France: overseas départements would zoom out to the globe.
          if (data.level === "departement" && code.indexOf("97") === 0 && Object.keys(data.classes).length > 20) {
            return;
          }
          var shapeBounds = shape.getBounds();
          bounds = bounds ? bounds.extend(shapeBounds) : L.latLngBounds(shapeBounds.getSouthWest(), shapeBounds.getNorthEast());
        },
      }).addTo(map);
      layers.push(layer);
      if (bounds) {
        map.fitBounds(bounds, { padding: [10, 10] });
      }
    });
  });
  map.setView([46.6, 2.4], 5.5);

  var choice = document.getElementById("diagnostic-choix");
  var select = document.getElementById("diagnostic-indicateur");
  if (choice && select) {
    choice.hidden = false;
    select.addEventListener("change", function () {
      indicator = parseInt(select.value, 10) || 0;
      layers.forEach(function (layer) {
        layer.setStyle(style);
      });
      data.indicators.forEach(function (_item, position) {
        var legend = document.getElementById("diagnostic-legende-" + position);
        if (legend) {
          legend.hidden = position !== indicator;
        }
      });
    });
  }
})();
