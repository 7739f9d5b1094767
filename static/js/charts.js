// Monthly trend charts drawn with the vendored ECharts, from the JSON the page carries.
// Lines differ by symbol and dash as well as colour, and the same numbers are in a table.
(function () {
  "use strict";
  var SYMBOLS = ["circle", "rect", "triangle", "diamond"];
  var DASHES = ["solid", "dashed", "dotted", "solid"];

  function draw(root) {
    if (typeof echarts === "undefined") return;
    var boxes = (root || document).querySelectorAll("[data-chart]");
    boxes.forEach(function (box, index) {
      // The data ride on an attribute: htmx drops <script> elements from what it swaps in.
      var holder = box.closest("[data-trend]");
      if (!holder) return;
      // A chart in a folded section is drawn when the section opens: hidden, it has no size.
      if (box.getClientRects().length === 0) return;
      var data = JSON.parse(holder.getAttribute("data-trend"));
      var key = box.getAttribute("data-metric");
      var existing = echarts.getInstanceByDom(box);
      if (existing) existing.dispose();
      var chart = echarts.init(box, null, { renderer: "canvas" });
      chart.setOption({
        animation: false,
        aria: { enabled: true },
        grid: { left: 48, right: 16, top: 32, bottom: 32 },
        tooltip: { trigger: "axis", renderMode: "richText" },
        xAxis: { type: "category", data: data.months, axisLabel: { hideOverlap: true } },
        yAxis: { type: "value", minInterval: 1 },
        series: [{
          name: box.getAttribute("data-label"),
          type: "line",
          data: data[key],
          symbol: SYMBOLS[index % SYMBOLS.length],
          symbolSize: 7,
          lineStyle: { type: DASHES[index % DASHES.length], width: 2 },
          label: { show: true, position: "top", fontSize: 10 },
          connectNulls: false
        }]
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () { draw(document); });
  document.addEventListener("htmx:afterSettle", function () { draw(document); });
  document.addEventListener("toggle", function (event) {
    if (event.target.open && event.target.querySelector && event.target.querySelector("[data-chart]")) {
      draw(event.target);
    }
  }, true);
  window.addEventListener("resize", function () {
    document.querySelectorAll("[data-chart]").forEach(function (box) {
      var chart = typeof echarts !== "undefined" && echarts.getInstanceByDom(box);
      if (chart) chart.resize();
    });
  });
})();
