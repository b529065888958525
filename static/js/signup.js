/* Sign-up wizard: progressive enhancement only; every step works without this file.
   - Village step: choosing a province/regency/district fills the next select from
     signup:region_children, without a page load (the "Pilih" buttons are then hidden).
   - Name step: live preview of the subdomain; a suggested address fills the field. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  function resetSelect(select) {
    var placeholder = select.options[0];
    select.replaceChildren(placeholder);
    select.value = "";
    select.disabled = true;
  }

  function initRegionPicker(form) {
    var template = form.getAttribute("data-children-url");
    var selects = [];
    form.querySelectorAll("select[data-region-level]").forEach(function (select) {
      selects[Number(select.getAttribute("data-region-level"))] = select;
    });
    var names = ["provinsi", "kabupaten", "kecamatan"];

    function rememberInUrl() {
      // Keep the address in step with the choices, so a reload or a failed POST shows them.
      var params = new URLSearchParams();
      for (var i = 0; i < 3; i++) {
        if (selects[i] && selects[i].value) params.set(names[i], selects[i].value);
      }
      var query = params.toString();
      history.replaceState(null, "", location.pathname + (query ? "?" + query : ""));
      form.action = location.pathname + (query ? "?" + query : "");
    }

    selects.forEach(function (select, level) {
      if (level >= 3) return;
      select.addEventListener("change", function () {
        for (var i = level + 1; i < selects.length; i++) resetSelect(selects[i]);
        rememberInUrl();
        var code = select.value;
        var next = selects[level + 1];
        if (!code || !next) return;
        next.setAttribute("aria-busy", "true");
        fetch(template.replace("KODE", encodeURIComponent(code)), {
          headers: { Accept: "application/json" },
          credentials: "same-origin",
        })
          .then(function (response) {
            if (!response.ok) throw new Error(response.status);
            return response.json();
          })
          .then(function (children) {
            if (select.value !== code) return; // a newer choice won
            children.forEach(function (child) {
              next.add(new Option(child.name, child.code));
            });
            next.disabled = children.length === 0;
          })
          .catch(function () {
            // Fall back to the page round trip that works without JavaScript.
            var nav = document.getElementById(select.getAttribute("form"));
            if (nav) nav.submit();
          })
          .finally(function () {
            next.removeAttribute("aria-busy");
          });
      });
    });

    // A choice made before this script ran (slow network) or restored by the browser's back
    // button has no options below it yet: load them now.
    for (var level = 0; level < 3; level++) {
      var next = selects[level + 1];
      if (selects[level] && selects[level].value && next && next.options.length <= 1) {
        selects[level].dispatchEvent(new Event("change"));
        break;
      }
    }
  }

  function initSlugPreview() {
    var preview = document.querySelector("[data-slug-preview]");
    if (!preview) return;
    var input = document.getElementById(preview.getAttribute("for"));
    if (!input) return;
    var placeholder = preview.getAttribute("data-placeholder");
    var own = document.getElementById("pakai_alamat_sendiri");

    function update() {
      preview.textContent = input.value.trim().toLowerCase() || placeholder;
    }
    input.addEventListener("input", function () {
      update();
      if (own) own.checked = true;
    });
    document.querySelectorAll("[data-slug-suggestion]").forEach(function (radio) {
      radio.addEventListener("change", function () {
        if (!radio.checked) return;
        input.value = radio.value;
        update();
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-region-picker]").forEach(initRegionPicker);
    initSlugPreview();
  });
})();
