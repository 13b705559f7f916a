// The rule editor: each row shows the value inputs of its chosen field and only that field's operators;
// "添加条件" adds a row from the formset's empty form; the mode radios show the rows or the JSON text.
(() => {
  const editor = document.querySelector("[data-rule-editor]");
  if (!editor) {
    return;
  }
  const fieldKinds = JSON.parse(document.getElementById("rule-field-kinds").textContent);
  const kindOps = JSON.parse(document.getElementById("rule-kind-ops").textContent);

  const update = (row) => {
    const field = row.querySelector("[data-rule-field]");
    const op = row.querySelector("[data-rule-op]");
    const kind = fieldKinds[field.value] || "";
    const allowed = kindOps[kind] || [];
    for (const option of op.options) {
      option.hidden = !allowed.includes(option.value);
      option.disabled = option.hidden;
    }
    if (allowed.length && !allowed.includes(op.value)) {
      op.value = allowed[0];
    }
    op.hidden = !kind;
    for (const box of row.querySelectorAll("[data-kind-input]")) {
      box.hidden = box.dataset.kindInput !== kind;
    }
    for (const box of row.querySelectorAll("[data-field-only]")) {
      box.hidden = box.dataset.fieldOnly !== field.value;
    }
    for (const box of row.querySelectorAll("[data-op-input]")) {
      box.hidden = (box.dataset.opInput === "between") !== (op.value === "between");
    }
  };

  const showMode = () => {
    const checked = editor.querySelector("input[name='mode']:checked");
    const mode = checked ? checked.value : "rows";
    for (const panel of editor.querySelectorAll("[data-mode-panel]")) {
      panel.hidden = panel.dataset.modePanel !== mode;
    }
  };

  editor.addEventListener("change", (event) => {
    const row = event.target.closest("[data-rule-row]");
    if (row && (event.target.matches("[data-rule-field]") || event.target.matches("[data-rule-op]"))) {
      update(row);
    }
    if (event.target.name === "mode") {
      showMode();
    }
  });

  const addButton = editor.querySelector("[data-rule-add-row]");
  if (addButton) {
    addButton.addEventListener("click", () => {
      const total = editor.querySelector("input[name='rows-TOTAL_FORMS']");
      const max = editor.querySelector("input[name='rows-MAX_NUM_FORMS']");
      const index = Number(total.value);
      if (max && index >= Number(max.value)) {
        return;
      }
      const template = document.getElementById("rule-row-template");
      const html = template.innerHTML.replaceAll("__prefix__", String(index));
      const body = editor.querySelector("[data-rule-rows]");
      body.insertAdjacentHTML("beforeend", html);
      total.value = String(index + 1);
      update(body.lastElementChild);
    });
  }

  for (const row of editor.querySelectorAll("[data-rule-rows] [data-rule-row]")) {
    update(row);
  }
  showMode();
})();
