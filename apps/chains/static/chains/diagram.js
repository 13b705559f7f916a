// The chain diagram: an ECharts tree from the json_script data; a link node's tooltip shows its figures and a
// click opens the link's page.
(function () {
  "use strict";
  var box = document.getElementById("chain-diagram");
  var source = document.getElementById("chain-tree");
  if (!box || !source || typeof echarts === "undefined") {
    return;
  }
  var tree = JSON.parse(source.textContent);
  var chart = echarts.init(box);
  chart.setOption({
    tooltip: {
      trigger: "item",
      formatter: function (params) {
        var lines = params.data.tooltip || [];
        var text = document.createElement("div");
        var title = document.createElement("strong");
        title.textContent = params.name;
        text.appendChild(title);
        lines.forEach(function (line) {
          var row = document.createElement("div");
          row.textContent = line;
          text.appendChild(row);
        });
        return text.innerHTML;
      },
    },
    series: [
      {
        type: "tree",
        data: [tree],
        orient: "LR",
        top: "2%",
        left: "12%",
        bottom: "2%",
        right: "18%",
        symbolSize: 12,
        initialTreeDepth: -1,
        expandAndCollapse: false,
        label: { position: "left", verticalAlign: "middle", align: "right", fontSize: 13 },
        leaves: { label: { position: "right", verticalAlign: "middle", align: "left" } },
        lineStyle: { color: "#adb5bd" },
      },
    ],
  });
  chart.on("click", function (params) {
    if (params.data && params.data.url) {
      window.location.href = params.data.url;
    }
  });
  window.addEventListener("resize", function () {
    chart.resize();
  });
})();
