// 直接答复: a search box narrows the published articles offered; picking one fills the answer with its text.
(function () {
  document.querySelectorAll("select[data-knowledge-pick]").forEach(function (select) {
    var form = select.form;
    var answer = form && form.querySelector("textarea[name=answer]");
    var search = document.createElement("input");
    search.type = "search";
    search.className = "form-control form-control-sm mb-1";
    search.placeholder = select.dataset.searchLabel || "";
    select.parentNode.insertBefore(search, select);
    search.addEventListener("input", function () {
      var text = search.value.trim();
      Array.prototype.forEach.call(select.options, function (option) {
        option.hidden = Boolean(option.value) && text !== "" && option.text.indexOf(text) === -1 &&
          (option.dataset.answer || "").indexOf(text) === -1;
      });
    });
    select.addEventListener("change", function () {
      var option = select.options[select.selectedIndex];
      if (answer && option && option.dataset.answer) {
        answer.value = option.dataset.answer;
      }
    });
  });
})();
