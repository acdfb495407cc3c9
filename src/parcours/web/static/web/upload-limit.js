// A file over the upload limit is refused in the browser, before minutes of sending it for nothing
// (the server refuses it too: web/safety.py). Served from our static files: the CSP allows no inline script.
document.addEventListener("change", function (event) {
  var input = event.target;
  if (!(input instanceof HTMLInputElement) || input.type !== "file" || !input.dataset.maxBytes) return;
  var max = Number(input.dataset.maxBytes);
  var tooBig = Array.prototype.some.call(input.files, function (f) { return f.size > max; });
  input.setCustomValidity(tooBig ? input.dataset.tooBig : "");
  if (tooBig) input.reportValidity();
});
