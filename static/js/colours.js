/* Colours that come from data: a KIM card's brand colour (data-brand-colour) and a photo's
   placeholder while it loads (data-placeholder-colour). The Content-Security-Policy blocks style
   attributes but not the CSSOM, so they are set here. Without this file cards keep the default
   brand colour and photos load on the page background. */
(function () {
  "use strict";
  var COLOUR = /^#[0-9a-fA-F]{6}$/;

  function each(attribute, apply) {
    document.querySelectorAll("[" + attribute + "]").forEach(function (element) {
      var colour = element.getAttribute(attribute);
      if (COLOUR.test(colour)) apply(element, colour);
    });
  }

  each("data-brand-colour", function (element, colour) {
    element.style.setProperty("--card-brand", colour);
  });
  each("data-placeholder-colour", function (element, colour) {
    element.style.backgroundColor = colour;
  });
})();
