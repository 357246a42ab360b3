// Account page: after a security key is registered (django-otp-webauthn's script fires the
// event), reload so the list of second factors shows it. Without JavaScript keys cannot be
// added at all (WebAuthn is a browser API); everything else on the page is a plain form.
(function () {
  "use strict";
  document.addEventListener("otp_webauthn.register_complete", function () {
    window.setTimeout(function () { window.location.reload(); }, 800);
  });
})();
