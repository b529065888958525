/* Share links: a "copy link" button next to the read-only link field (which works without this
   file: it can be selected and copied by hand). The confirmation text comes from the page. */
(function () {
  "use strict";
  var box = document.querySelector("[data-share-copy]");
  if (!box) return;
  var input = box.querySelector("input"), button = box.querySelector("button");
  var status = box.querySelector("[role=status]");
  input.addEventListener("focus", function () { input.select(); });
  button.hidden = false;
  button.addEventListener("click", function () {
    var done = function () { status.textContent = box.getAttribute("data-copied"); };
    input.select();
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(input.value).then(done, function () {
        if (document.execCommand("copy")) done();
      });
    } else if (document.execCommand("copy")) {
      done();
    }
  });
})();
