// The cockpit's charts: each [data-chart] box is drawn from the ECharts option in the json_script it names; the
// map box from its GeoJSON and the regions' figures, coloured by the figure chosen in #map-figure. A click on a
// point or a region with a url opens the records behind it.
(function () {
  "use strict";
  if (typeof echarts === "undefined") {
    return;
  }
  var theme = document.body.getAttribute("data-chart-theme") || null;
  var drawn = [];

  function read(id) {
    var source = document.getElementById(id);
    return source ? JSON.parse(source.textContent) : null;
  }

  function openRecords(params) {
    if (params.data && params.data.url) {
      window.location.href = params.data.url;
    }
  }

  function draw(box, option) {
    var chart = echarts.init(box, theme);
    if (theme) {
      option.backgroundColor = "transparent";
    }
    chart.setOption(option);
    chart.on("click", openRecords);
    drawn.push(chart);
    return chart;
  }

  function mapOption(map, key) {
    var figure = map.figures.filter(function (f) { return f.key === key; })[0];
    var top = 0;
    var data = map.regions.map(function (region) {
      var cell = region.values[key];
      if (!cell) {
        return { name: region.name, value: "-" };
      }
      top = Math.max(top, cell.value);
      return { name: region.name, value: cell.value, url: cell.url };
    });
    return {
      tooltip: { trigger: "item", formatter: "{b}：{c} " + figure.unit },
      visualMap: {
        min: 0,
        max: top || 1,
        left: 10,
        bottom: 10,
        calculable: true,
        text: [figure.label, ""],
        inRange: { color: ["#cfe2ff", "#0a58ca"] },
      },
      series: [
        {
          type: "map",
          map: map.name,
          nameProperty: map.nameProperty,
          label: { show: true, color: "#102a43", textBorderColor: "#ffffff", textBorderWidth: 2 },
          emphasis: { label: { show: true } },
          data: data,
        },
      ],
    };
  }

  function drawMap(box, map) {
    if (!map || !map.figures.length) {
      return;
    }
    echarts.registerMap(map.name, map.geojson);
    var select = document.getElementById("map-figure");
    var chart = draw(box, mapOption(map, select ? select.value : map.figures[0].key));
    if (select) {
      select.addEventListener("change", function () {
        var option = mapOption(map, select.value);
        if (theme) {
          option.backgroundColor = "transparent";
        }
        chart.setOption(option, true);
      });
    }
  }

  document.querySelectorAll("[data-chart]").forEach(function (box) {
    var option = read(box.getAttribute("data-chart"));
    if (option) {
      draw(box, option);
    }
  });
  var mapBox = document.getElementById("cockpit-map");
  if (mapBox) {
    drawMap(mapBox, read(mapBox.getAttribute("data-map")));
  }
  window.addEventListener("resize", function () {
    drawn.forEach(function (chart) {
      chart.resize();
    });
  });
})();
