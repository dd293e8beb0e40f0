/* A file, not an inline script: the site's Content-Security-Policy runs scripts from 'self' only. */
/* Progressive enhancement: drop files onto the box. Without JavaScript the file input works as is. */
(function () {
  var zone = document.querySelector("[data-dropzone]");
  if (!zone || !window.DataTransfer) { return; }
  var input = zone.querySelector("input[type=file]");
  var chosen = zone.querySelector("[data-chosen]");
  function show() {
    var names = Array.prototype.map.call(input.files, function (f) { return f.name; });
    chosen.textContent = names.length ? names.length + " chosen: " + names.join(", ") : "";
  }
  zone.classList.add("enhanced");
  ["dragenter", "dragover"].forEach(function (type) {
    zone.addEventListener(type, function (event) { event.preventDefault(); zone.classList.add("over"); });
  });
  ["dragleave", "drop"].forEach(function (type) {
    zone.addEventListener(type, function () { zone.classList.remove("over"); });
  });
  zone.addEventListener("drop", function (event) {
    event.preventDefault();
    var all = new DataTransfer();
    Array.prototype.forEach.call(input.files, function (f) { all.items.add(f); });
    Array.prototype.forEach.call(event.dataTransfer.files, function (f) { all.items.add(f); });
    input.files = all.files;
    show();
  });
  input.addEventListener("change", show);
  var alert = document.getElementById("verify-errors");
  if (alert) { alert.focus(); }
})();
