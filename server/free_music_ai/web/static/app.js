// The page: upload, describe, generate, watch, download, change. Plain JavaScript, no build step, no CDN.
"use strict";

const $ = (id) => document.getElementById(id);
const state = { session: null, uploading: 0, busy: false, files: [], words: null, seed: null, job: null };

function showError(message) {
  const banner = $("error");
  banner.textContent = message;
  banner.hidden = !message;
}

async function api(path, options = {}) {
  const response = await fetch(path, { credentials: "same-origin", ...options });
  const body = await response.json().catch(() => ({ error: `The server answered ${response.status}.` }));
  if (!response.ok) throw new Error(body.error || `The server answered ${response.status}.`);
  return body;
}

// Server-Sent Events over a POST: each event is "event: kind" and "data: json", separated by a blank line.
async function stream(path, payload, onEvent) {
  const response = await fetch(path, {
    method: "POST", credentials: "same-origin",
    headers: { "content-type": "application/json" }, body: JSON.stringify(payload),
  });
  if (!response.ok) {
    const body = await response.json().catch(() => ({}));
    throw new Error(body.error || `The server answered ${response.status}.`);
  }
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let pending = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    pending += decoder.decode(value, { stream: true });
    let cut;
    while ((cut = pending.indexOf("\n\n")) >= 0) {
      const raw = pending.slice(0, cut);
      pending = pending.slice(cut + 2);
      const kind = (raw.match(/^event: (.*)$/m) || [])[1];
      const data = (raw.match(/^data: (.*)$/m) || [])[1];
      if (!kind || data === undefined) continue;
      const parsed = JSON.parse(data);
      if (kind === "error") throw new Error(parsed.message);
      onEvent(kind, parsed);
    }
  }
}

function progress(fraction, stage) {
  $("progress").hidden = false;
  const percent = Math.round(Math.max(0, Math.min(1, fraction || 0)) * 100);
  $("bar").style.width = `${percent}%`;
  $("bar").setAttribute("aria-valuenow", String(percent));
  if (stage) $("stage").textContent = stage;
}

function setBusy(busy) {
  state.busy = busy;
  const ready = !busy && state.session && state.uploading === 0;
  $("generate").disabled = !ready;
  for (const id of ["apply", "undo", "redo", "another"]) $(id).disabled = busy;
}

// 1. files ---------------------------------------------------------------------------------------------------
function uploadOne(file) {
  const item = document.createElement("li");
  item.innerHTML = '<span class="name"></span><span class="what">uploading</span><div class="bar"><div></div></div>';
  item.querySelector(".name").textContent = file.name;
  $("uploads").appendChild(item);
  state.uploading += 1;
  setBusy(state.busy);
  return new Promise((resolve) => {
    const request = new XMLHttpRequest();
    const query = new URLSearchParams({ name: file.name });
    if (state.session) query.set("session", state.session);
    request.open("PUT", `/api/upload?${query}`);
    request.upload.onprogress = (event) => {
      if (event.lengthComputable) item.querySelector(".bar div").style.width = `${(100 * event.loaded) / event.total}%`;
    };
    request.onload = () => {
      let body = {};
      try { body = JSON.parse(request.responseText); } catch { body = { error: "The server's answer was unreadable." }; }
      if (request.status === 200) {
        state.session = body.session_id;
        const asset = body.assets[0];
        state.files.push(file.name);
        item.querySelector(".what").textContent = `${asset.kind}${asset.duration_s ? `, ${asset.duration_s.toFixed(1)} s` : ""}`;
        item.querySelector(".bar div").style.width = "100%";
      } else {
        item.classList.add("failed");
        item.querySelector(".what").textContent = "not added";
        showError(body.error || `The upload failed (${request.status}).`);
      }
      resolve();
    };
    request.onerror = () => { item.classList.add("failed"); showError("The upload was interrupted. Try again."); resolve(); };
    request.send(file);
  }).finally(() => { state.uploading -= 1; setBusy(state.busy); });
}

async function addFiles(list) {
  showError("");
  for (const file of list) await uploadOne(file);  // in order: the timeline follows the order chosen
}

// 2. music and export ----------------------------------------------------------------------------------------
// The format and the music's level follow the project (words may set them: "music 20% and 9:16"); a control is
// sent only once the user has moved it since, so it never overrides what the words said about that setting.
const touched = { aspect: false, volume: false };
let firstAspect = null;  // the frame offered first (the server's list), checked until the project says another

function showAspects(aspects) {
  firstAspect = aspects[0];
  for (const value of aspects) {
    const radio = Object.assign(document.createElement("input"), { type: "radio", name: "aspect", value });
    radio.checked = value === firstAspect;
    radio.addEventListener("change", () => { touched.aspect = true; });
    const label = document.createElement("label");
    label.append(radio, ` ${value}`);
    $("aspects").append(label);
  }
}

function choices() {
  return {
    genre: $("genre").value || null, mood: $("mood").value || null,
    music_volume: touched.volume ? Number($("volume").value) : null, title: $("title").value.trim() || null,
    aspect: touched.aspect ? document.querySelector('input[name="aspect"]:checked').value : null,
  };
}

function followControls(controls) {
  if (!controls) return;
  if (controls.aspect && !touched.aspect) {
    const radio = document.querySelector(`input[name="aspect"][value="${controls.aspect}"]`);
    if (radio) radio.checked = true;
  }
  if (controls.music_volume !== null && controls.music_volume !== undefined && !touched.volume) {
    $("volume").value = String(controls.music_volume);
    $("volume-out").textContent = `${controls.music_volume}%`;
  }
}

async function say(message, fields = {}) {
  let reply = null;
  touched.aspect = touched.volume = false;  // what was sent is the project's now: the controls follow it again
  await stream(`/api/sessions/${state.session}/messages`, { message, ...fields }, (kind, data) => {
    if (kind === "progress") progress(data.fraction * 0.45, data.stage);
    if (kind === "reply") reply = data;
    if (kind === "state") showState(data);
  });
  if (reply) {
    $("explanation").textContent = reply.explanation || reply.text.split("\n")[0];
    if (reply.music && reply.music.seed !== undefined) state.seed = reply.music.seed;
  }
  return reply;
}

async function exportVideo() {
  const extras = $("extras").checked;
  await stream(`/api/sessions/${state.session}/exports`, { aspect: choices().aspect, stems: extras, midi: extras },
    (kind, data) => {
      if (kind === "progress") progress(0.45 + 0.55 * (data.fraction || 0), data.stage);
      if (kind === "done") showResult(data);
      if (kind === "state") showState(data);
    });
}

async function run(work) {
  if (state.busy) return;
  showError("");
  setBusy(true);
  progress(0, "Starting");
  try {
    await work();
    progress(1, "Done");
  } catch (error) {
    showError(error.message);
    $("stage").textContent = "Stopped";
  } finally {
    setBusy(false);
  }
}

function showResult(done) {
  $("result").hidden = false;
  const stamp = `?v=${done.job_id}`;
  $("preview").src = done.video + stamp;
  $("download").href = done.video;
  $("download").setAttribute("download", done.name);
  $("licence").href = done.licence || "#";
  $("licence").hidden = !done.licence;
  $("midi").hidden = !done.midi;
  $("note").textContent = done.note || "";  // a change to hear of, such as a frame rate lowered
  $("note").hidden = !done.note;
  if (done.midi) $("midi").href = done.midi;
  const stems = $("stems");
  stems.textContent = "";
  for (const [part, url] of Object.entries(done.stems || {})) {
    const link = document.createElement("a");
    link.href = url; link.textContent = `stem: ${part}`; link.setAttribute("download", `${part}.wav`);
    stems.append(link, " ");
  }
  $("picture").src = `/api/sessions/${state.session}/picture.png${stamp}`;
  state.job = done.job_id;
  $("command").value = commandLine();
  $("result").scrollIntoView({ behavior: "smooth", block: "start" });  // the result, where the eye goes next
}

function showState(data) {
  $("summary").textContent = data.summary || "";
  followControls(data.controls);
  if (data.music && data.music.seed !== undefined && data.music.seed !== null) state.seed = data.music.seed;
  const list = $("versions");
  list.textContent = "";
  for (const version of data.versions || []) {
    const item = document.createElement("li");
    item.textContent = version.note || `version ${version.version}`;
    if (version.current) item.className = "current";
    list.appendChild(item);
  }
}

function quote(word) {
  return /^[\w./:%+-]+$/.test(word) ? word : `'${word.replace(/'/g, "'\\''")}'`;
}

function commandLine() {
  const picked = choices();
  const aspect = document.querySelector('input[name="aspect"]:checked')?.value ?? firstAspect;  // as shown: the project's
  const parts = ["free-music-ai", "render", ...state.files, "-p", state.words || $("prompt").value];
  if (picked.title) parts.push("--title", picked.title);
  if (aspect !== firstAspect) parts.push("--aspect", aspect);
  parts.push("--music-volume", $("volume").value);
  if (state.seed !== null && state.seed !== undefined) parts.push("--seed", String(state.seed));
  return parts.map(quote).join(" ");
}

// wiring -----------------------------------------------------------------------------------------------------
async function start() {
  const drop = $("drop");
  drop.addEventListener("dragover", (event) => { event.preventDefault(); drop.classList.add("over"); });
  drop.addEventListener("dragleave", () => drop.classList.remove("over"));
  drop.addEventListener("drop", (event) => { event.preventDefault(); drop.classList.remove("over"); addFiles(event.dataTransfer.files); });
  drop.addEventListener("keydown", (event) => { if (event.key === "Enter" || event.key === " ") $("files").click(); });
  // the list is copied before the input is cleared: clearing empties the live FileList the uploads still read
  $("files").addEventListener("change", (event) => { addFiles(Array.from(event.target.files)); event.target.value = ""; });
  for (const chip of document.querySelectorAll(".chip")) chip.addEventListener("click", () => { $("prompt").value = chip.dataset.example; });
  $("volume").addEventListener("input", () => { touched.volume = true; $("volume-out").textContent = `${$("volume").value}%`; });
  $("generate").addEventListener("click", () => run(async () => {
    state.words = $("prompt").value.trim() || "generate a background music track that matches the mood of my video";
    await say(state.words, choices());
    await exportVideo();
  }));
  // a question or a message that changes nothing is answered, and no new file is written for it
  const change = (words) => run(async () => {
    const { aspect, music_volume } = choices();  // a format or level moved since: it goes with the words
    const reply = await say(words, { aspect, music_volume });
    if (!reply || reply.changed) await exportVideo();
  });
  $("apply").addEventListener("click", () => { const words = $("change").value.trim(); if (words) change(words); });
  $("change").addEventListener("keydown", (event) => { if (event.key === "Enter") $("apply").click(); });
  $("undo").addEventListener("click", () => change("undo"));
  $("redo").addEventListener("click", () => change("redo"));
  $("another").addEventListener("click", () => change("another version"));
  $("copy").addEventListener("click", () => { navigator.clipboard?.writeText($("command").value); $("copy").textContent = "Copied"; });
  setBusy(false);
  try {
    const info = await api("/api/info");
    $("max-mb").textContent = String(info.max_upload_mb);
    for (const [id, values] of [["genre", info.genres], ["mood", info.moods]]) {
      for (const value of values) $(id).append(new Option(value, value));
    }
    showAspects(info.aspects);
  } catch (error) {
    showError(error.message);
  }
}

start();
