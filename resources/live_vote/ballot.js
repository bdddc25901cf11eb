// The live-voting ballot. Served by the facilitator's laptop; nothing here reaches the internet.
// Answers are kept on this phone (localStorage, with a random id for the phone) and sent to the laptop
// after each answer; the laptop answers only once they are saved, and sending again replaces them.
"use strict";

(function () {
  const KEY = "ics-live:" + location.pathname;
  const $ = (id) => document.getElementById(id);
  let ballot = null;
  let state = load();
  let sendTimer = null;
  let sending = false;
  let pollTimer = null;

  function randomId() {
    const bytes = new Uint8Array(18);
    crypto.getRandomValues(bytes);
    return Array.from(bytes, (b) => "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"[b % 64]).join("");
  }

  function load() {
    let saved = null;
    try { saved = JSON.parse(localStorage.getItem(KEY) || "null"); } catch (e) { saved = null; }
    if (!saved || typeof saved.device !== "string") {
      saved = { device: randomId(), answers: {}, step: -1, name: null, done: false };
    }
    return saved;
  }

  function keep() {
    try { localStorage.setItem(KEY, JSON.stringify(state)); } catch (e) { /* private mode: kept in memory */ }
  }

  function show(id) {
    for (const section of document.querySelectorAll(".screen")) section.hidden = section.id !== id;
    window.scrollTo(0, 0);
  }

  function el(tag, text, cls) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = text;
    if (cls) node.className = cls;
    return node;
  }

  function answered(code) {
    const given = state.answers[code] || {};
    return ballot.questions.every((q) => q.key in given);
  }

  function progressText() {
    const done = ballot.capabilities.filter((c) => answered(c.code)).length;
    $("progress").textContent = done + " of " + ballot.capabilities.length + " scored";
  }

  // -- talking to the laptop ------------------------------------------------------------------

  async function fetchBallot() {
    const response = await fetch("api/ballot", { cache: "no-store" });
    if (!response.ok) throw new Error("ballot " + response.status);
    return response.json();
  }

  function payload() {
    const body = { device: state.device, scores: state.answers };
    if (ballot.named) body.name = state.name;
    return JSON.stringify(body);
  }

  async function send() {
    if (sending) { queueSend(300); return; }
    sending = true;
    const status = $("saved");
    try {
      const response = await fetch("api/ballot", {
        method: "POST", headers: { "Content-Type": "application/json" }, body: payload(), cache: "no-store",
      });
      if (response.status === 409) { closed(); return; }
      const reply = await response.json().catch(() => ({}));
      if (!response.ok) {
        status.textContent = reply.error || "Not saved yet: will try again.";
        status.className = "saved waiting";
        if (response.status >= 500 || response.status === 429) queueSend(3000);
        return;
      }
      status.textContent = "Saved on the facilitator's laptop";
      status.className = "saved";
    } catch (e) {
      status.textContent = "Not sent yet (no connection): kept on this phone, will try again.";
      status.className = "saved waiting";
      queueSend(4000);
    } finally {
      sending = false;
    }
  }

  function queueSend(delay) {
    clearTimeout(sendTimer);
    sendTimer = setTimeout(send, delay);
  }

  function closed() {
    clearTimeout(sendTimer);
    clearInterval(pollTimer);
    state.closed = true;
    keep();
    $("progress").textContent = "";
    show("closed");
  }

  function watchForClose() {
    clearInterval(pollTimer);
    pollTimer = setInterval(async () => {
      try {
        const fresh = await fetchBallot();
        if (!fresh.open) closed();
      } catch (e) { /* the laptop stopped listening: the round is over */ closed(); }
    }, 10000);
  }

  // -- screens --------------------------------------------------------------------------------

  function chooseName(names) {
    const list = $("who-list");
    const render = () => {
      const wanted = $("who-filter").value.trim().toLowerCase();
      list.replaceChildren();
      for (const name of names) {
        if (wanted && !name.toLowerCase().includes(wanted)) continue;
        const item = el("li");
        const button = el("button", name);
        button.type = "button";
        button.addEventListener("click", () => { state.name = name; keep(); intro(); });
        item.append(button);
        list.append(item);
      }
    };
    $("who-filter").addEventListener("input", render);
    render();
    show("who");
  }

  function intro() {
    const count = ballot.capabilities.length;
    const text = $("intro-text");
    text.replaceChildren();
    text.append(el("span", count + " capabilities, each with " + (ballot.questions.length === 1 ? "one question" :
      ballot.questions.length + " questions") + ":"));
    const list = el("ul");
    for (const q of ballot.questions) list.append(el("li", q.text || q.label));
    text.append(list);
    const first = ballot.scale[0], last = ballot.scale[ballot.scale.length - 1];
    text.append(el("span", "Score " + first.level + " (" + first.label + ") to " + last.level + " (" + last.label +
      "), or “Don't know” when you are unsure."));
    progressText();
    queueSend(0); // says "this phone has joined" (an empty ballot saves nothing)
    show("intro");
  }

  function step(index) {
    state.step = index;
    keep();
    const capability = ballot.capabilities[index];
    $("domain").textContent = capability.domain;
    $("code").textContent = capability.code;
    $("statement").textContent = capability.statement;
    const stageText = $("stage-text");
    stageText.replaceChildren();
    for (const stage of capability.stages) {
      stageText.append(el("h3", stage.title));
      const list = el("ul");
      for (const line of stage.text) list.append(el("li", line));
      stageText.append(list);
    }
    $("stages").hidden = capability.stages.length === 0;
    $("stages").open = false;
    const area = $("answers");
    area.replaceChildren();
    for (const question of ballot.questions) {
      const block = el("div", null, "question");
      const heading = el("h2", question.text || question.label);
      heading.id = "q-" + question.key;
      block.append(heading);
      const levels = el("div", null, "levels");
      levels.setAttribute("role", "group");
      levels.setAttribute("aria-labelledby", heading.id);
      const options = ballot.scale.map((s) => [s.level, String(s.level), s.label]).concat([["?", "?", "Don't know"]]);
      for (const [value, mark, label] of options) {
        const button = el("button", null, "level");
        button.type = "button";
        button.dataset.question = question.key;
        button.dataset.value = String(value);
        button.append(el("span", mark, "n"), el("span", label));
        const given = (state.answers[capability.code] || {})[question.key];
        button.setAttribute("aria-pressed", String(given === value));
        button.addEventListener("click", () => choose(capability.code, question.key, value));
        levels.append(button);
      }
      block.append(levels);
      area.append(block);
    }
    $("back").disabled = index === 0;
    $("next").textContent = index === ballot.capabilities.length - 1 ? "Finish" : "Next";
    $("saved").textContent = "";
    progressText();
    $("progress").textContent = "Capability " + (index + 1) + " of " + ballot.capabilities.length;
    show("question");
  }

  function choose(code, question, value) {
    state.answers[code] = state.answers[code] || {};
    state.answers[code][question] = value;
    keep();
    for (const button of document.querySelectorAll('.level[data-question="' + CSS.escape(question) + '"]')) {
      button.setAttribute("aria-pressed", String(button.dataset.value === String(value)));
    }
    $("saved").textContent = "Saving…";
    $("saved").className = "saved waiting";
    queueSend(400);
  }

  function finish() {
    state.done = true;
    state.step = -1;
    keep();
    const answeredCount = ballot.capabilities.filter((c) => answered(c.code)).length;
    const missing = ballot.capabilities.length - answeredCount;
    $("thanks-text").textContent = missing === 0
      ? "You scored all " + ballot.capabilities.length + " capabilities."
      : "You scored " + answeredCount + " of " + ballot.capabilities.length +
        " capabilities; what you answered counts.";
    progressText();
    queueSend(0);
    show("thanks");
    watchForClose();
  }

  // -- start ----------------------------------------------------------------------------------

  async function begin() {
    show("loading");
    try {
      ballot = await fetchBallot();
    } catch (e) {
      show("problem");
      return;
    }
    if (!ballot.open) { closed(); return; }
    if (ballot.named && !state.name) {
      try {
        const response = await fetch("api/participants", { cache: "no-store" });
        const names = (await response.json()).participants || [];
        chooseName(names);
      } catch (e) { show("problem"); }
      return;
    }
    if (state.done) { finish(); return; }
    if (state.step >= 0 && state.step < ballot.capabilities.length) { step(state.step); return; }
    intro();
  }

  $("start").addEventListener("click", () => step(0));
  $("back").addEventListener("click", () => { if (state.step > 0) step(state.step - 1); });
  $("next").addEventListener("click", () => {
    queueSend(0);
    if (state.step < ballot.capabilities.length - 1) step(state.step + 1); else finish();
  });
  $("change").addEventListener("click", () => { clearInterval(pollTimer); state.done = false; step(0); });
  $("retry").addEventListener("click", begin);
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible" && ballot && !state.closed) queueSend(0);
  });
  begin();
})();
