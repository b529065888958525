/* Filters that apply at once: choosing a region in a form marked data-live-filter fetches the
   same page the "Terapkan" button would load and swaps in its results, without reloading the page
   or moving the focus. Without this file the form still works with one submit. */
(function () {
  "use strict";
  var form = document.querySelector("form[data-live-filter]");
  if (!form) return;
  var target = document.getElementById(form.getAttribute("data-live-filter"));
  var status = document.getElementById(form.getAttribute("data-live-status"));
  if (!target || !status) return;
  var latest = 0;

  function apply() {
    var params = new URLSearchParams();
    new FormData(form).forEach(function (value, name) {
      if (value !== "") params.append(name, value);  // short, shareable addresses
    });
    var query = params.toString();
    var url = form.action + (query ? "?" + query : "");
    var ticket = ++latest;
    target.setAttribute("aria-busy", "true");
    fetch(url, { credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.text();
      })
      .then(function (html) {
        if (ticket !== latest) return;  // a newer choice is on its way
        var page = new DOMParser().parseFromString(html, "text/html");
        var fresh = page.getElementById(target.id);
        if (!fresh) throw new Error("no results");
        target.replaceWith(fresh);
        target = fresh;
        history.replaceState(null, "", url);
        var heading = fresh.querySelector("h2");
        status.textContent = heading ? heading.textContent : "";
      })
      .catch(function () {
        if (ticket === latest) form.submit();  // fall back to the plain page
      })
      .finally(function () {
        if (ticket === latest) target.removeAttribute("aria-busy");
      });
  }

  form.querySelectorAll("select").forEach(function (select) {
    select.addEventListener("change", apply);
  });
})();
