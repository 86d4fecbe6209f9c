// pawaPay Payment Page (Kulipa): choose the country and operator, type the number, pay, then wait
// for the approval on the phone and return to the shop. No framework, no build step.
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("page-config").textContent);
  var RETURN_DELAY_SECONDS = 3;
  var POLL_MILLIS = 1000;
  var PREDICT_DELAY_MILLIS = 300;
  var $ = function (id) { return document.getElementById(id); };

  function post(path, body) {
    return fetch(config.base + path, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Accept": "application/json" },
      body: JSON.stringify(body)
    }).then(function (r) { return r.json().then(function (j) { return { ok: r.ok, body: j }; }); });
  }

  function country(code) {
    return config.countries.filter(function (c) { return c.code === code; })[0] || config.countries[0];
  }

  function operator(correspondent) {
    var found = null;
    config.countries.forEach(function (c) {
      c.operators.forEach(function (o) { if (o.correspondent === correspondent) { found = o; } });
    });
    return found;
  }

  function setError(field, message) {
    var el = $(field + "-error");
    if (!el) { el = $("form-error"); }
    el.textContent = message || "";
    var input = field === "correspondent" ? null : $(field);
    if (input) { input.setAttribute("aria-invalid", message ? "true" : "false"); }
  }

  function clearErrors() {
    ["msisdn", "amount", "correspondent", "form"].forEach(function (f) { if ($(f + "-error")) { setError(f, ""); } });
  }

  function showCountry(code) {
    var labels = document.querySelectorAll("#operators label.operator");
    Array.prototype.forEach.call(labels, function (label) {
      var mine = label.getAttribute("data-country") === code;
      label.hidden = !mine;
      var radio = label.querySelector("input");
      if (!mine && radio.checked) { radio.checked = false; }
    });
    var c = country(code);
    if ($("amount-currency")) { $("amount-currency").textContent = c.currency; }
    if ($("msisdn") && !config.fixedMsisdn) { $("msisdn").placeholder = c.dialCode + "…"; }
    if ($("msisdn-dial")) { $("msisdn-dial").textContent = c.dialCode; }
    showLimits();
  }

  function chosen() {
    var radio = document.querySelector("#operators input[name=correspondent]:checked");
    return radio ? radio.value : null;
  }

  function choose(correspondent) {
    var radio = $("op-" + correspondent);
    if (radio && !radio.disabled) { radio.checked = true; }
    showLimits();
  }

  function showLimits() {
    var help = $("amount-help");
    if (!help) { return; }
    var o = operator(chosen());
    help.textContent = o ? "Between " + o.min + " and " + o.max + " " + o.currency + " with " + o.mno + "."
      : "Choose an operator to see its limits.";
  }

  var predictTimer = null;
  var predictSeq = 0;
  function predict() {
    var raw = $("msisdn").value;
    var digits = raw.replace(/\D/g, "");
    if (digits.length < 6) { setError("msisdn", ""); return Promise.resolve(null); }
    var seq = ++predictSeq;
    return post("/predict", { msisdn: raw }).then(function (r) {
      if (seq !== predictSeq) { return null; }
      if (!r.ok) { setError("msisdn", r.body.message); return null; }
      setError("msisdn", "");
      if ($("country").value !== r.body.country) { $("country").value = r.body.country; showCountry(r.body.country); }
      var o = operator(r.body.correspondent);
      if (o && !o.available) {
        setError("correspondent", o.mno + " is temporarily unavailable. Try again later.");
      } else {
        setError("correspondent", "");
        choose(r.body.correspondent);
      }
      return r.body;
    });
  }

  function submit(event) {
    event.preventDefault();
    clearErrors();
    var button = $("pay-button");
    var body = { correspondent: chosen(), msisdn: $("msisdn").value, amount: $("amount") ? $("amount").value : null };
    if (!body.correspondent) {
      setError("correspondent", "Choose your mobile money operator.");
      var first = document.querySelector("#operators label:not([hidden]) input:not([disabled])");
      if (first) { first.focus(); }
      return;
    }
    button.disabled = true;
    button.textContent = "Starting payment…";
    post("/deposit", body).then(function (r) {
      if (!r.ok) {
        button.disabled = false;
        button.textContent = "Pay";
        setError(r.body.field || "form", r.body.message);
        var input = r.body.field && $(r.body.field);
        if (input) { input.focus(); }
        return;
      }
      show(r.body);
    }).catch(function () {
      button.disabled = false;
      button.textContent = "Pay";
      setError("form", "The payment could not be started. Check your connection and try again.");
    });
  }

  var returning = false;
  function show(status) {
    if (status.status === "NONE") { return; }
    $("step-details").hidden = true;
    if (status.status === "PENDING") {
      $("step-authorise").hidden = false;
      $("authorise-amount").textContent = status.amount;
      $("authorise-msisdn").textContent = status.msisdn;
      $("authorise-status").textContent = "Waiting for your approval…";
      setTimeout(poll, POLL_MILLIS);
      return;
    }
    $("step-authorise").hidden = true;
    $("step-done").hidden = false;
    $("step-done").className = status.status === "COMPLETED" ? "success" : "failure";
    $("done-title").textContent = status.status === "COMPLETED" ? "Payment complete" : "Payment failed";
    $("done-message").textContent = status.message;
    $("return-link").focus();
    if (!returning) {
      returning = true;
      var left = RETURN_DELAY_SECONDS;
      var tick = function () {
        if (left <= 0) { window.location.assign(status.returnUrl); return; }
        $("return-countdown").textContent = "Returning to the shop in " + left + " s.";
        left -= 1;
        setTimeout(tick, 1000);
      };
      tick();
    }
  }

  function poll() {
    fetch(config.base + "/status", { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { return r.json(); })
      .then(show)
      .catch(function () { setTimeout(poll, POLL_MILLIS * 2); });
  }

  var form = $("pay-form");
  if (form) {
    form.addEventListener("submit", submit);
    $("country").addEventListener("change", function () { showCountry(this.value); });
    Array.prototype.forEach.call(document.querySelectorAll("#operators input"), function (radio) {
      radio.addEventListener("change", function () { setError("correspondent", ""); showLimits(); });
    });
    if (!config.fixedMsisdn) {
      $("msisdn").addEventListener("input", function () {
        clearTimeout(predictTimer);
        predictTimer = setTimeout(predict, PREDICT_DELAY_MILLIS);
      });
    } else {
      var only = document.querySelector("#operators input:not([disabled])");
      if (only) { only.checked = true; }
    }
    showCountry($("country").value);
  }
  show(config.status);
})();
