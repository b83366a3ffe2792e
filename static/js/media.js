// Attachments: drag and drop, several files at once, upload progress.
// Each file goes in a request of its own (so the size limit is per file and each has its own bar);
// the server answers with the attachments section, which replaces the one on the page, and names
// what changed (HX-Trigger), announced here as htmx would so other regions on the page follow.
// Without this script the upload form posts normally and the server redirects back.
(function () {
  "use strict";

  function sectionOf(node) {
    return node && node.closest ? node.closest("[data-media-attachments]") : null;
  }

  function textOf(html) {
    var doc = new DOMParser().parseFromString(html, "text/html");
    return (doc.body.textContent || "").replace(/\s+/g, " ").trim();
  }

  function swapIn(oldSection, html) {
    var template = document.createElement("template");
    template.innerHTML = html;
    var fresh = template.content.querySelector("[data-media-attachments]");
    if (!fresh || !oldSection.isConnected) return oldSection;
    oldSection.replaceWith(fresh);
    if (window.htmx) window.htmx.process(fresh);
    return fresh;
  }

  function announce(section, header) {
    (header || "").split(",").map(function (name) { return name.trim(); }).filter(Boolean)
      .forEach(function (name) {
        section.dispatchEvent(new CustomEvent(name, { bubbles: true }));
      });
  }

  function showProblem(section, message) {
    var region = section.querySelector("[data-media-progress]");
    if (!region) return;
    var p = document.createElement("p");
    p.className = "form-error";
    p.setAttribute("role", "alert");
    p.textContent = message;
    region.appendChild(p);
  }

  function sendOne(url, token, alt, file, region) {
    return new Promise(function (resolve) {
      var row = document.createElement("div");
      row.className = "media-progress-row";
      var label = document.createElement("span");
      label.textContent = file.name;
      var bar = document.createElement("progress");
      bar.max = 100;
      bar.value = 0;
      bar.setAttribute("aria-label", "Uploading " + file.name);
      row.appendChild(label);
      row.appendChild(bar);
      region.appendChild(row);

      var data = new FormData();
      data.append("csrf_token", token);
      data.append("alt_text", alt);
      data.append("files", file, file.name);
      var xhr = new XMLHttpRequest();
      xhr.open("POST", url);
      xhr.setRequestHeader("HX-Request", "true");
      xhr.upload.addEventListener("progress", function (event) {
        if (event.lengthComputable) bar.value = Math.round((event.loaded / event.total) * 100);
      });
      xhr.addEventListener("load", function () {
        bar.value = 100;
        resolve({ status: xhr.status, body: xhr.responseText, trigger: xhr.getResponseHeader("HX-Trigger") });
      });
      xhr.addEventListener("error", function () {
        resolve({ status: 0, body: "" });
      });
      xhr.send(data);
    });
  }

  async function upload(form, files) {
    var section = sectionOf(form);
    if (!section || !files.length) return;
    var id = section.id;
    var url = form.action;
    var token = form.querySelector("input[name=csrf_token]").value;
    var altInput = form.querySelector("input[name=alt_text]");
    var alt = altInput ? altInput.value : "";
    var button = form.querySelector("button[type=submit]");
    if (button) button.disabled = true;
    var problems = [];
    for (var i = 0; i < files.length; i++) {
      section = document.getElementById(id) || section;
      var region = section.querySelector("[data-media-progress]");
      var result = await sendOne(url, token, alt, files[i], region);
      if (result.status === 200 || result.status === 422) {
        section = swapIn(section, result.body);
        if (result.status === 422) problems.push("");
        else announce(section, result.trigger);
      } else if (result.status === 0) {
        problems.push(files[i].name + ": the upload failed. Check your connection and try again.");
      } else {
        problems.push(textOf(result.body) || files[i].name + ": the upload was refused.");
      }
    }
    section = document.getElementById(id) || section;
    problems.filter(Boolean).forEach(function (message) { showProblem(section, message); });
    var again = section.querySelector("button[type=submit]");
    if (again) again.disabled = false;
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("form[data-media-upload]")) return;
    var input = form.querySelector("input[type=file]");
    var files = input && input.files ? Array.prototype.slice.call(input.files) : [];
    event.preventDefault();
    if (!files.length) {
      showProblem(sectionOf(form), "Choose a file first, or drop one here.");
      return;
    }
    upload(form, files);
  });

  function dropZone(event) {
    return event.target.closest ? event.target.closest("[data-media-drop]") : null;
  }

  document.addEventListener("dragover", function (event) {
    var zone = dropZone(event);
    if (!zone) return;
    event.preventDefault();
    zone.classList.add("is-dragging");
  });
  document.addEventListener("dragleave", function (event) {
    var zone = dropZone(event);
    if (zone) zone.classList.remove("is-dragging");
  });
  document.addEventListener("drop", function (event) {
    var zone = dropZone(event);
    if (!zone) return;
    event.preventDefault();
    zone.classList.remove("is-dragging");
    var files = Array.prototype.slice.call((event.dataTransfer && event.dataTransfer.files) || []);
    upload(zone.closest("form"), files);
  });
})();
