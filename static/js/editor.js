/* Post editor: progressive enhancement only; the page works fully without this file.
   - Shows only the chosen kind's fieldset (without JS all are shown, each labelled by kind).
   - A small Markdown toolbar above the body.
   - Autosave: POSTs the form to data-autosave-url every 20 s while it changes, and says when.
   - Photo progress: polls data-status-url every few seconds while photos are being processed.
   - Chosen photos: a small preview of each, with its caption and alternative text, typed before
     the one "Simpan" uploads them (sent as new-<n>-caption / new-<n>-alt_text).
   - The error summary is focused when the page opens; its links focus their field.
   Every user-facing text comes from the page (data-* attributes or the server's JSON). */
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  var AUTOSAVE_EVERY = 20000;
  var POLL_EVERY = 4000;
  var POLL_FOR_AT_MOST = 15 * 60 * 1000;

  // --- Kind-specific fieldsets ------------------------------------------------------------
  function initKinds(form) {
    var select = form.querySelector("select[name='kind']");
    var fieldsets = form.querySelectorAll("fieldset[data-kind]");
    if (!select || !fieldsets.length) return;
    function update() {
      fieldsets.forEach(function (fieldset) {
        fieldset.hidden = fieldset.getAttribute("data-kind") !== select.value;
      });
    }
    select.addEventListener("change", update);
    update();
  }

  // --- Markdown toolbar -------------------------------------------------------------------
  function initToolbar(container) {
    var textarea = container.querySelector("textarea");
    if (!textarea) return;
    var label = function (name) { return container.getAttribute("data-label-" + name) || name; };

    function wrap(before, after, placeholder) {
      var start = textarea.selectionStart, end = textarea.selectionEnd;
      var value = textarea.value;
      var selected = value.slice(start, end) || placeholder || "";
      textarea.value = value.slice(0, start) + before + selected + after + value.slice(end);
      textarea.focus();
      textarea.setSelectionRange(start + before.length, start + before.length + selected.length);
      textarea.dispatchEvent(new Event("input", { bubbles: true }));
    }

    function prefixLines(prefix) {
      var start = textarea.selectionStart, end = textarea.selectionEnd;
      var value = textarea.value;
      var lineStart = value.lastIndexOf("\n", start - 1) + 1;
      var block = value.slice(lineStart, end) || "";
      var changed = block.split("\n").map(function (line) { return prefix + line; }).join("\n");
      textarea.value = value.slice(0, lineStart) + changed + value.slice(end);
      textarea.focus();
      textarea.setSelectionRange(lineStart + changed.length, lineStart + changed.length);
      textarea.dispatchEvent(new Event("input", { bubbles: true }));
    }

    var actions = [
      ["bold", "B", function () { wrap("**", "**"); }],
      ["italic", "I", function () { wrap("*", "*"); }],
      ["heading", "H", function () { prefixLines("## "); }],
      ["list", "•", function () { prefixLines("- "); }],
      ["link", label("link"), function () {
        var url = window.prompt(container.getAttribute("data-prompt-link") || "URL", "https://");
        if (url && url !== "https://") wrap("[", "](" + url + ")");
      }],
    ];
    var bar = document.createElement("div");
    bar.className = "md-toolbar";
    bar.setAttribute("role", "toolbar");
    bar.setAttribute("aria-label", label("toolbar"));
    bar.setAttribute("aria-controls", textarea.id);
    actions.forEach(function (action) {
      var button = document.createElement("button");
      button.type = "button";
      button.textContent = action[1];
      button.setAttribute("aria-label", label(action[0]));
      button.title = label(action[0]);
      button.addEventListener("click", action[2]);
      bar.appendChild(button);
    });
    textarea.parentNode.insertBefore(bar, textarea);
  }

  // --- Autosave -----------------------------------------------------------------------------
  function initAutosave(form) {
    var url = form.getAttribute("data-autosave-url");
    var status = form.querySelector("[data-autosave-status]");
    var changes = 0, saved = 0, saving = null, submitting = false;

    function isTracked(target) {
      return target && target.form === form && target.type !== "file";
    }
    form.addEventListener("input", function (event) { if (isTracked(event.target)) changes++; });
    form.addEventListener("change", function (event) { if (isTracked(event.target)) changes++; });
    form.addEventListener("submit", function () { submitting = true; });

    function say(text) { if (status) status.textContent = text; }

    function save() {
      if (!url) return Promise.resolve(true);
      if (saving) return saving;
      if (changes === saved) return Promise.resolve(true);
      var upTo = changes;
      var data = new FormData(form);
      form.querySelectorAll("input[type='file']").forEach(function (input) {
        data.delete(input.name);
      });
      say(form.getAttribute("data-msg-saving") || "");
      saving = fetch(url, {
        method: "POST",
        body: data,
        credentials: "same-origin",
        headers: { Accept: "application/json", "X-Requested-With": "XMLHttpRequest" },
      })
        .then(function (response) {
          return response.json().then(function (body) { return [response.ok, body]; });
        })
        .then(function (result) {
          if (result[0] && result[1].ok) {
            saved = upTo;
            say(result[1].message);
            return true;
          }
          say(result[1].message || form.getAttribute("data-msg-failed"));
          if (result[1].errors === undefined) url = null; // no longer autosavable: stop trying
          return false;
        })
        .catch(function () {
          say(form.getAttribute("data-msg-failed") || "");
          return false;
        })
        .finally(function () { saving = null; });
      return saving;
    }

    if (url) window.setInterval(save, AUTOSAVE_EVERY);

    // Delete buttons (each a form of its own) leave the page: keep the text typed so far first.
    document.querySelectorAll("form.photo-delete-form").forEach(function (other) {
      other.addEventListener("submit", function (event) {
        if (!url || changes === saved || other.dataset.saved) return;
        event.preventDefault();
        save().then(function () {
          other.dataset.saved = "1";
          submitting = true;
          other.submit();
        });
      });
    });

    function filesChosen() {
      return Array.prototype.some.call(
        form.querySelectorAll("input[type='file']"),
        function (input) { return input.files && input.files.length > 0; }
      );
    }

    window.addEventListener("beforeunload", function (event) {
      if (submitting || (changes === saved && !filesChosen())) return;
      say(form.getAttribute("data-msg-unsaved") || "");
      event.preventDefault();
      event.returnValue = "";
    });
  }

  // --- Photo progress -----------------------------------------------------------------------
  function updateCard(card, photo) {
    card.setAttribute("data-status", photo.status);
    card.className = card.className.replace(/photo-card--\w+/, "photo-card--" + photo.status);
    var status = card.querySelector("[data-photo-status]");
    if (status) {
      status.textContent = photo.label;
      status.className = "photo-status photo-status--" + photo.status;
    }
    var error = card.querySelector("[data-photo-error]");
    if (error) {
      error.textContent = photo.error;
      error.hidden = !photo.error;
    }
    var media = card.querySelector("[data-photo-media]");
    if (media && photo.thumbnail && !media.querySelector("img")) {
      var img = document.createElement("img");
      img.src = photo.thumbnail;
      img.alt = photo.alt || "";
      img.loading = "lazy";
      media.replaceChildren(img);
    }
  }

  function initPhotoStatus(section) {
    var url = section.getAttribute("data-status-url");
    if (!url || !section.hasAttribute("data-busy")) return;
    var started = Date.now();
    function poll() {
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) {
          if (!response.ok) throw new Error(response.status);
          return response.json();
        })
        .then(function (body) {
          body.photos.forEach(function (photo) {
            var card = section.querySelector("[data-photo-id='" + photo.id + "']");
            if (card) updateCard(card, photo);
          });
          if (body.done) {
            section.removeAttribute("data-busy");
            var reload = section.querySelector(".photos__reload");
            if (reload) reload.hidden = true;
          } else if (Date.now() - started < POLL_FOR_AT_MOST) {
            window.setTimeout(poll, POLL_EVERY);
          }
        })
        .catch(function () {
          // Keep the "Muat ulang status" link: it works without this script.
        });
    }
    window.setTimeout(poll, POLL_EVERY / 2);
  }

  // --- Chosen photos: preview, caption and alternative text before the upload ----------------
  function thumbnail(file, media) {
    // A small JPEG drawn from the file (a data: URL: the page's policy allows no blob: images).
    if (!window.createImageBitmap || !/^image\//.test(file.type)) return;
    createImageBitmap(file).then(function (bitmap) {
      var width = 240, height = Math.round(bitmap.height * width / bitmap.width) || width;
      var canvas = document.createElement("canvas");
      canvas.width = width;
      canvas.height = height;
      canvas.getContext("2d").drawImage(bitmap, 0, 0, width, height);
      var img = document.createElement("img");
      img.alt = "";
      img.src = canvas.toDataURL("image/jpeg", 0.7);
      media.replaceChildren(img);
    }).catch(function () { /* the placeholder stays */ });
  }

  function textField(n, name, labelText, maxLength) {
    var field = document.createElement("div");
    field.className = "field";
    var id = "id_new-" + n + "-" + name;
    var label = document.createElement("label");
    label.htmlFor = id;
    label.textContent = labelText;
    var input = document.createElement("input");
    input.type = "text";
    input.id = id;
    input.name = "new-" + n + "-" + name;
    input.maxLength = maxLength;
    field.append(label, input);
    return field;
  }

  function initNewPhotos(container) {
    var input = container.querySelector("input[type='file']");
    if (!input) return;
    var list = document.createElement("ul");
    list.className = "photo-list photo-list--new";
    list.hidden = true;
    container.appendChild(list);
    var captionLabel = container.getAttribute("data-label-caption") || "{name}";
    var altLabel = container.getAttribute("data-label-alt") || "{name}";
    input.addEventListener("change", function () {
      list.replaceChildren();
      Array.prototype.forEach.call(input.files, function (file, n) {
        var card = document.createElement("li");
        card.className = "photo-card";
        var media = document.createElement("div");
        media.className = "photo-card__media";
        var placeholder = document.createElement("span");
        placeholder.className = "photo-card__placeholder";
        media.appendChild(placeholder);
        var body = document.createElement("div");
        body.className = "photo-card__body";
        var name = document.createElement("p");
        name.className = "photo-card__title";
        name.textContent = file.name;
        body.append(
          name,
          textField(n, "caption", captionLabel.replace("{name}", file.name), 200),
          textField(n, "alt_text", altLabel.replace("{name}", file.name), 200)
        );
        card.append(media, body);
        list.appendChild(card);
        thumbnail(file, media);
      });
      list.hidden = !input.files.length;
    });
  }

  // --- Error summary ----------------------------------------------------------------------------
  function initErrors(summary) {
    summary.focus();
    summary.addEventListener("click", function (event) {
      var link = event.target.closest("a[href^='#']");
      if (!link) return;
      var target = document.getElementById(decodeURIComponent(link.hash.slice(1)));
      if (!target) return;
      event.preventDefault();
      target.scrollIntoView({ block: "center" });
      target.focus({ preventScroll: true });
    });
  }

  var form = document.getElementById("post-form");
  if (form) {
    initKinds(form);
    form.querySelectorAll("[data-toolbar]").forEach(initToolbar);
    initAutosave(form);
    form.querySelectorAll("[data-new-photos]").forEach(initNewPhotos);
    var summary = document.getElementById("kesalahan");
    if (summary) initErrors(summary);
  }
  var photos = document.getElementById("foto");
  if (photos) initPhotoStatus(photos);
})();
