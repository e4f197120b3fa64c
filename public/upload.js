// Uploads in the vendor portal, improved when JavaScript runs: files can be dropped on the
// field, an image shows a preview before it is sent, and the upload shows its progress; a CSV
// import then shows how far the server is in checking and saving its products (asked by a
// random token sent with the file). The forms work the same without this file (plain
// multipart posts).
(function () {
  "use strict";
  document.querySelectorAll("form[data-upload]").forEach(function (form) {
    var input = form.querySelector("input[type=file]");
    var zone = form.querySelector(".drop-zone");
    var preview = form.querySelector(".upload-preview");
    var progress = form.querySelector(".upload-progress");
    var status = form.querySelector(".upload-status");
    if (!input || !zone) return;

    function showPreview() {
      if (!preview) return;
      var file = input.files && input.files[0];
      if (file && file.type.indexOf("image/") === 0) {
        preview.src = URL.createObjectURL(file);
        preview.hidden = false;
      } else {
        preview.hidden = true;
      }
    }
    input.addEventListener("change", showPreview);
    ["dragenter", "dragover"].forEach(function (type) {
      zone.addEventListener(type, function (event) {
        event.preventDefault();
        zone.classList.add("dragging");
      });
    });
    ["dragleave", "drop"].forEach(function (type) {
      zone.addEventListener(type, function () {
        zone.classList.remove("dragging");
      });
    });
    zone.addEventListener("drop", function (event) {
      event.preventDefault();
      if (event.dataTransfer && event.dataTransfer.files.length) {
        input.files = event.dataTransfer.files;
        showPreview();
      }
    });

    form.addEventListener("submit", function (event) {
      if (!window.XMLHttpRequest || !window.FormData) return;
      event.preventDefault();
      var button = form.querySelector("button[type=submit]");
      if (button) button.disabled = true;
      if (progress) {
        progress.hidden = false;
        progress.value = 0;
      }
      var data = new FormData(form);
      var stopPolling = function () {};
      if (form.dataset.progress && status && window.fetch) {
        var token = window.crypto && window.crypto.randomUUID
          ? window.crypto.randomUUID()
          : (Math.random().toString(16).slice(2) + Date.now().toString(16) + "0000000000000000").slice(0, 32);
        data.append("progress_token", token);
      }
      var request = new XMLHttpRequest();
      request.open("POST", form.action);
      request.upload.addEventListener("load", function () {
        if (!token) return;
        status.hidden = false;
        status.textContent = "Uploaded. Reading the file…";
        var timer = window.setInterval(function () {
          window.fetch(form.dataset.progress + token, { credentials: "same-origin" })
            .then(function (response) { return response.ok ? response.json() : null; })
            .then(function (report) {
              if (!report || !report.total) return;
              var what = { checking: "Checking products", saving: "Saving products", done: "Saved products", failed: "Checked products" }[report.stage];
              if (!what) return;
              if (progress) progress.value = Math.round((report.done / report.total) * 100);
              status.textContent = what + ": " + report.done.toLocaleString() + " of " + report.total.toLocaleString();
            })
            .catch(function () {});
        }, 500);
        stopPolling = function () { window.clearInterval(timer); };
      });
      request.upload.addEventListener("progress", function (e) {
        if (progress && e.lengthComputable) progress.value = Math.round((e.loaded / e.total) * 100);
      });
      request.addEventListener("load", function () {
        stopPolling();
        if (request.status < 400) {
          window.location.assign(request.responseURL || window.location.href);
        } else {
          if (button) button.disabled = false;
          var message = document.createElement("p");
          message.className = "form-error";
          message.setAttribute("role", "alert");
          message.textContent = request.responseText || "The upload failed (" + request.status + ").";
          form.prepend(message);
        }
      });
      request.addEventListener("error", function () {
        stopPolling();
        if (button) button.disabled = false;
        form.submit();
      });
      request.send(data);
    });
  });
})();
