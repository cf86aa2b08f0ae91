// Every page: reveal what needs script, and make the copy buttons work ("Copy the citation", "Copy the code").
"use strict";
document.querySelectorAll(".copy-button").forEach((button) => {
  const row = button.closest(".copy-row");
  const status = row.querySelector(".copy-status");
  const target = document.getElementById(button.dataset.copyTarget);
  if (!target || !navigator.clipboard) return;
  row.hidden = false;
  button.addEventListener("click", () => {
    const text = target.textContent.replace(/\s+/g, " ").trim();
    navigator.clipboard.writeText(text).then(
      () => { status.textContent = "Copied."; },
      () => { status.textContent = "Could not copy: select the text and copy it."; });
  });
});
