// The invitation link carries the one-time code after "#", which browsers never send to the server (so it
// stays out of access logs); copy it into the code field.
(function () {
  var field = document.querySelector("[data-evaluation-code]");
  var code = window.location.hash.replace(/^#/, "");
  if (field && code && !field.value) {
    field.value = decodeURIComponent(code);
  }
})();
