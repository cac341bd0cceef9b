// Fills hidden timezone fields (data-tz) on the sign-up and log-in forms with the browser's IANA
// timezone, so a new learner's days start in the right place until they choose one themselves.
const zone = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
document.querySelectorAll("input[data-tz]").forEach((input) => {
  if (!input.value) input.value = zone;
});
