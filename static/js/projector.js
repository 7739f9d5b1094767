// The projector turns to its next page every data-turn-seconds, by following the page's own
// 下一页 link (which works without this script); ?hold=1 pages carry no timer.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var seconds = parseInt(document.body.getAttribute("data-turn-seconds"), 10);
    var next = document.querySelector("[data-next-page]");
    if (!seconds || !next) return;
    window.setTimeout(function () { window.location.assign(next.href); }, seconds * 1000);
  });
})();
