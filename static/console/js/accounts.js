// Security keys on the account page (adding one) and the second login step (using one).
// django-otp-webauthn's scripts run the ceremonies and fire events; this file names a new key,
// and replaces the library's failure words (English only, about "passkeys") with the console's
// own, which the page carries in its language (#key-messages). Without JavaScript keys cannot
// be used at all (WebAuthn is a browser API); everything else on these pages is a plain form.
(function () {
  "use strict";

  function messages() {
    var element = document.getElementById("key-messages");
    return element ? JSON.parse(element.textContent) : {};
  }

  function csrfToken() {
    var config = document.getElementById("otp_webauthn_config");
    return config ? JSON.parse(config.textContent).csrfToken : "";
  }

  function say(statusId, text) {
    var status = document.getElementById(statusId);
    if (status && text) status.textContent = text;
  }

  // A new key: save the name typed beside the button, then show the list with the key in it.
  document.addEventListener("otp_webauthn.register_complete", function (event) {
    var box = document.querySelector(".key-register");
    var field = document.getElementById("key-name");
    var name = field ? field.value.trim() : "";
    var show = function () { window.location.assign(box.dataset.accountUrl + "?done=key_added"); };
    if (!name) { show(); return; }
    var body = new FormData();
    body.append("key", String(event.detail.id));
    body.append("name", name);
    fetch(box.dataset.nameUrl, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken() },
    }).then(show, show);  // the key is added either way; only its name would be missing
  });

  document.addEventListener("otp_webauthn.register_failed", function (event) {
    var error = event.detail && event.detail.error;
    var words = messages();
    say("passkey-register-status-message",
        error && error.name === "InvalidStateError" ? words.alreadyAdded : words.notAdded);
  });

  // A refusal from the server already carries the server's words, in the console's language;
  // a failure in the browser (no registered key answered, cancelled, timed out) gets ours.
  document.addEventListener("otp_webauthn.verification_failed", function (event) {
    if (event.detail && event.detail.error) {
      say("passkey-verification-status-message", messages().notUsed);
    }
  });
})();
