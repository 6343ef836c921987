// lessonkit's progressive enhancements. Every page works without this file: the sidebar and
// the table of contents are disclosures and links, answers are <details>. With it: a copy
// button on each code block, the section being read marked in the table of contents (which
// starts folded on a narrow screen), and the current lesson scrolled into view in the sidebar.
(() => {
  "use strict";

  function copyButtons() {
    for (const block of document.querySelectorAll(".code-block")) {
      const code = block.querySelector("pre");
      if (!code || !navigator.clipboard) continue;
      const button = document.createElement("button");
      button.type = "button";
      button.className = "copy";
      button.textContent = "Copy";
      button.setAttribute("aria-label", "Copy the code");
      button.addEventListener("click", async () => {
        try {
          await navigator.clipboard.writeText(code.innerText);
          button.textContent = "Copied";
        } catch (error) {
          button.textContent = "Select and copy";
        }
        setTimeout(() => { button.textContent = "Copy"; }, 2000);
      });
      block.append(button);
    }
  }

  function tableOfContents() {
    const toc = document.querySelector(".toc");
    if (!toc) return;
    const details = toc.querySelector("details");
    if (details && window.matchMedia("(max-width: 72rem)").matches) details.open = false;
    const links = new Map();
    for (const link of toc.querySelectorAll("a[href^='#']")) {
      const target = document.getElementById(decodeURIComponent(link.hash.slice(1)));
      if (target) links.set(target, link);
    }
    if (!("IntersectionObserver" in window) || !links.size) return;
    const observer = new IntersectionObserver((entries) => {
      for (const entry of entries) {
        if (!entry.isIntersecting) continue;
        for (const link of links.values()) link.classList.remove("active");
        links.get(entry.target).classList.add("active");
      }
    }, { rootMargin: "0px 0px -70% 0px" });
    for (const target of links.keys()) observer.observe(target);
  }

  function sidebar() {
    const nav = document.querySelector(".sidebar");
    const current = nav && nav.querySelector("[aria-current]");
    if (current && nav.scrollHeight > nav.clientHeight) {
      nav.scrollTop = current.offsetTop - nav.clientHeight / 3;
    }
  }

  function start() {
    copyButtons();
    tableOfContents();
    sidebar();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
