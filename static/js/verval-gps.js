// The assistant's verification page: the "take GPS position" button fills the hidden latitude/longitude inputs
// from the browser's geolocation (only when the assistant allows it). Without JavaScript the button stays hidden
// and the page works without a position.
(function () {
  "use strict";
  var button = document.getElementById("gps-take");
  var lat = document.getElementById("id_latitude");
  var lon = document.getElementById("id_longitude");
  var status = document.getElementById("gps-status");
  if (!button || !lat || !lon || !status || !("geolocation" in navigator)) {
    return;
  }
  button.hidden = false;
  button.addEventListener("click", function () {
    status.textContent = button.dataset.waiting;
    navigator.geolocation.getCurrentPosition(
      function (position) {
        lat.value = position.coords.latitude.toFixed(6);
        lon.value = position.coords.longitude.toFixed(6);
        status.textContent = button.dataset.taken + " " + lat.value + ", " + lon.value;
      },
      function () {
        status.textContent = button.dataset.failed;
      },
      { enableHighAccuracy: true, timeout: 20000, maximumAge: 60000 }
    );
  });
  var clear = document.getElementById("gps-clear");
  if (clear) {
    clear.addEventListener("click", function () {
      lat.value = "";
      lon.value = "";
      status.textContent = clear.dataset.cleared;
    });
  }
})();
