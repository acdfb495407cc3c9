/* Score sheet grid: saves each note as it is typed (on change), Enter moves down, a column pasted from a
   spreadsheet fills the cells below. Works without this script too (the form's Save button). */
(function () {
  "use strict";
  var form = document.getElementById("sheet-form");
  if (!form) { return; }
  var url = form.getAttribute("data-save-url");
  var csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var live = document.getElementById("save-status");
  var inputs = Array.prototype.slice.call(form.querySelectorAll("input.note:not([disabled])"));
  /* Texts come translated from the template (data-t-*), French if absent. */
  function t(key, fallback) { return form.getAttribute("data-t-" + key) || fallback; }

  /* Counts only what the server holds: a refused value (aria-invalid) is not an encoded note, so the
     Submit button is not offered for a sheet the service would refuse. */
  function refresh() {
    var expected = form.querySelectorAll("input.note[data-expected]");
    var n = 0, bad = form.querySelectorAll("input.note[aria-invalid=true]").length;
    expected.forEach(function (i) {
      if (i.getAttribute("aria-invalid") !== "true" && i.value.trim() !== "") { n += 1; }
    });
    var counter = document.getElementById("encoded-count");
    if (counter) { counter.textContent = n; }
    var complete = n === expected.length;
    var submit = document.getElementById("submit-form"), missing = document.getElementById("submit-missing");
    if (submit) { submit.hidden = !complete; }
    if (missing) { missing.hidden = complete; }
    return bad;
  }

  function state(input, text, kind) {  /* kind: "ok", "bad" or "pending" */
    var cell = document.getElementById("state-" + input.getAttribute("data-student"));
    if (cell) { cell.textContent = text; cell.className = "save-state " + kind; }
    input.setAttribute("aria-invalid", kind === "bad" ? "true" : "false");
  }

  /* One save in flight at a time, in the order typed: Enter then blur, or two quick cells, must not race
     (the later value must be the one kept). */
  var queue = Promise.resolve();
  function save(list) {
    /* Remember what was sent: Enter saves, then the blur's "change" must not send the same value again. */
    list.forEach(function (i) { i.setAttribute("data-sent", i.value); });
    queue = queue.then(function () { return send(list); });
    return queue;
  }

  function send(list) {
    var entries = list.map(function (i) { return [i.getAttribute("data-student"), i.value]; });
    list.forEach(function (i) { state(i, "…", "pending"); });
    live.textContent = t("saving", "Enregistrement…");
    return fetch(url, {
      method: "POST", credentials: "same-origin",
      headers: {"Content-Type": "application/json", "X-CSRFToken": csrf},
      body: JSON.stringify({entries: entries})
    }).then(function (r) { return r.json().then(function (data) { return {ok: r.ok, data: data}; }); })
      .then(function (res) {
        if (res.ok && res.data.ok) {
          list.forEach(function (i) {
            var v = res.data.values[i.getAttribute("data-student")];
            if (v !== undefined) { i.value = v; i.defaultValue = v; }
            state(i, t("ok", "✓ enregistré"), "ok");
          });
          var bad = refresh();
          live.textContent = bad ? t("bad-left", "Enregistré. Des cases en rouge ne sont pas enregistrées : corrigez-les.")
                                 : t("saved", "Enregistré.");
          return true;
        }
        var msg = (res.data && res.data.error) || t("error", "Erreur d'enregistrement.");
        list.forEach(function (i) { state(i, msg, "bad"); });
        refresh();
        live.textContent = t("not-saved", "Non enregistré :") + " " + msg;
      })
      .catch(function () {
        list.forEach(function (i) { state(i, t("offline", "Hors ligne : non enregistré"), "bad"); });
        refresh();
        live.textContent = t("lost", "Non enregistré (connexion perdue).");
      });
  }

  inputs.forEach(function (input, index) {
    input.addEventListener("change", function () {
      if (input.value !== input.getAttribute("data-sent")) { save([input]); }
    });
    input.addEventListener("keydown", function (e) {
      if (e.key === "Enter") {
        e.preventDefault();
        var next = inputs[index + (e.shiftKey ? -1 : 1)];
        if (input.value !== input.defaultValue && input.value !== input.getAttribute("data-sent")) { save([input]); }
        if (next) { next.focus(); next.select(); }
      }
    });
    input.addEventListener("paste", function (e) {
      var text = (e.clipboardData || window.clipboardData).getData("text");
      if (text.indexOf("\n") === -1 && text.indexOf("\t") === -1) { return; }
      e.preventDefault();
      var values = text.replace(/\r/g, "").split("\n");
      if (values.length && values[values.length - 1] === "") { values.pop(); }
      var touched = [];
      values.forEach(function (line, k) {
        var target = inputs[index + k];
        if (target) { target.value = line.split("\t")[0].trim(); touched.push(target); }
      });
      if (touched.length) { save(touched); }
    });
  });
})();
