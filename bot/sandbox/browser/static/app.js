/* The sandbox page: a small Slack workspace. It only talks to the sandbox's API (/api/…), which turns
 * what the person does into signed Slack requests to the bot and reads back what the bot did from the
 * Slack stand-in. Polls /api/state once a second; redraws only what changed. */
(function () {
  "use strict";
  const B = window.Blocks;
  const el = B.el;
  const TIME = new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/London", weekday: "short", day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" });
  const app = { workspace: null, user: null, channel: null, last: {}, state: null };

  async function api(path, body) {
    const response = await fetch(path, body === undefined ? {} : {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body),
    });
    const data = await response.json().catch(() => ({ ok: false, error: `HTTP ${response.status}` }));
    if (data && data.ok === false) toast(data.error);
    return data;
  }

  function toast(message) {
    const node = document.getElementById("toast");
    node.textContent = message;
    node.hidden = false;
    clearTimeout(toast.timer);
    toast.timer = setTimeout(() => { node.hidden = true; }, 6000);
  }

  function ctx() {
    const state = app.state || {};
    return {
      labels: app.workspace.labels,
      people: app.workspace.people,
      channels: state.channels || [],
      onAction: onAction,
      submit: (view, values) => api("/api/submit", { user: app.user, view_id: view.id, state: values }).then(refreshAfter),
      close: (view, clear) => api("/api/close", { user: app.user, view_id: view.id, clear: Boolean(clear) }).then(refreshAfter),
    };
  }

  async function refreshAfter(answer) {
    await refresh();
    return answer;
  }

  async function onAction(info) {
    const body = Object.assign({ user: app.user, channel: app.channel === "home" ? null : app.channel }, info);
    await api("/api/action", body);
    await refresh();
  }

  /* --- sidebar ------------------------------------------------------------------------------ */

  function drawPeople() {
    const list = document.getElementById("person-list");
    list.replaceChildren();
    for (const person of app.workspace.people) {
      list.appendChild(el("li", {}, [el("button", {
        type: "button", class: person.user_id === app.user ? "person current" : "person",
        "data-user": person.user_id, title: person.partnership || "not in any partnership",
        text: person.label, onclick: () => switchTo(person.user_id),
      })]));
    }
    const me = app.workspace.people.find((p) => p.user_id === app.user);
    document.getElementById("you").textContent = me ? me.label : "";
  }

  function drawChannels(state) {
    const list = document.getElementById("channel-list");
    list.replaceChildren();
    for (const channel of state.channels) {
      const seen = app.last[channel.id];
      const unread = seen !== undefined && channel.count > seen && channel.id !== app.channel;
      list.appendChild(el("a", {
        href: "#", "data-channel": channel.id, class: nav(channel.id) + (unread ? " unread" : ""),
        text: `${channel.private ? "◆" : "#"} ${channel.name}${channel.archived ? " (archived)" : ""}`,
        title: channel.private ? "private channel" : "public channel",
        onclick: (event) => { event.preventDefault(); open(channel.id); },
      }));
      if (seen === undefined || channel.id === app.channel) app.last[channel.id] = channel.count;
    }
    const dm = document.getElementById("nav-dm");
    dm.dataset.channel = state.dm;
    dm.className = nav(state.dm);
    document.getElementById("nav-home").className = nav("home");
    const clock = state.clock;
    document.getElementById("clock").textContent = `${clock.label} ${clock.zone}`;
    document.getElementById("jump-date").min = clock.date;
  }

  function nav(id) {
    return id === app.channel ? "nav current" : "nav";
  }

  /* --- the conversation ----------------------------------------------------------------------- */

  function when(ts) {
    return TIME.format(new Date(parseFloat(ts) * 1000));
  }

  function messageNode(message) {
    const who = app.workspace.labels[message.user] || "someone";
    const body = message.blocks && message.blocks.length ? B.render(message.blocks, Object.assign(ctx(), {
      onAction: (info) => onAction(Object.assign(info, { message_ts: message.ephemeral ? null : message.ts })),
    })) : el("div", { class: "mrkdwn", html: B.mrkdwn(message.text, ctx()) });
    const files = (message.files || []).map((f) => el("a", {
      class: "file", href: `/files/${encodeURIComponent(f.id)}`, download: f.name,
    }, [el("span", { class: "filetype", text: (f.name || "").split(".").pop().toUpperCase() }), el("span", { text: f.title || f.name })]));
    const replies = message.replies || [];
    const thread = replies.length ? el("details", { class: "thread", open: true }, [
      el("summary", { text: `${replies.length} ${replies.length === 1 ? "reply" : "replies"}` }),
      ...replies.map(messageNode),
    ]) : null;
    return el("article", { class: `message${message.ephemeral ? " ephemeral" : ""}`, "data-ts": message.ts }, [
      el("div", { class: "avatar", text: who.charAt(0) }),
      el("div", { class: "content" }, [
        el("div", { class: "meta" }, [
          el("b", { text: who }),
          el("time", { text: when(message.ts) }),
          message.edited ? el("span", { class: "edited", text: "(edited)" }) : null,
          message.pinned ? el("span", { class: "pinned", text: "pinned" }) : null,
          message.ephemeral ? el("span", { class: "only-you", text: "Only visible to you" }) : null,
        ]),
        body,
        files.length ? el("div", { class: "files" }, files) : null,
        thread,
      ]),
    ]);
  }

  function drawMain(state) {
    const header = document.getElementById("channel-header");
    const box = document.getElementById("messages");
    const atBottom = box.scrollHeight - box.scrollTop - box.clientHeight < 40;
    box.replaceChildren();
    document.getElementById("message-box").disabled = app.channel === "home";
    if (app.channel === "home") {
      header.replaceChildren(el("h2", { text: "ReviewBot — Home" }));
      const home = state.home;
      box.appendChild(home ? B.render(home.blocks, Object.assign(ctx(), {
        onAction: (info) => onAction(Object.assign(info, { view_id: home.id })),
      })) : el("p", { class: "empty", text: "Opening the Home tab…" }));
      box.classList.add("home");
      return;
    }
    box.classList.remove("home");
    const conv = state.conversation;
    if (!conv) return;
    const title = conv.is_dm ? "ReviewBot (direct messages)" : `${conv.private ? "◆" : "#"} ${conv.name}`;
    const members = conv.members.filter((m) => m !== app.workspace.bot).map((m) => app.workspace.labels[m] || "someone");
    header.replaceChildren(...[
      el("h2", { text: title }),
      conv.topic ? el("div", { class: "topic", html: B.mrkdwn(conv.topic, ctx()) }) : null,
      conv.is_dm ? null : el("div", { class: "members", title: members.join("\n"), text: `${members.length} ${members.length === 1 ? "person" : "people"}` }),
    ].filter(Boolean));
    if (!conv.messages.length) box.appendChild(el("p", { class: "empty", text: "Nothing here yet. Try /review help below." }));
    for (const message of conv.messages) box.appendChild(messageNode(message));
    if (atBottom || app.jumpToEnd) box.scrollTop = box.scrollHeight;
    app.jumpToEnd = false;
  }

  /* --- state ---------------------------------------------------------------------------------- */

  async function refresh() {
    if (!app.user) return;
    const query = new URLSearchParams({ user: app.user, channel: app.channel || "" });
    const state = await fetch(`/api/state?${query}`).then((r) => r.json()).catch(() => null);
    if (!state || state.user !== app.user) return;
    const old = app.state;
    app.state = state;
    if (!app.channel) { app.channel = state.channels.length ? state.channels[0].id : state.dm; app.state = null; return refresh(); }
    const same = (k) => old && JSON.stringify(old[k]) === JSON.stringify(state[k]);
    if (!same("channels") || !same("clock") || !same("dm")) drawChannels(state);
    if (!same("conversation") || !same("home") || old.channel !== app.channel) drawMain(state);
    state.channel = app.channel;
    window.Modal.show(state.modal, state.modal_depth, ctx());
    document.body.dataset.user = app.user;
    document.body.dataset.channel = app.channel;
    document.body.dataset.ready = "1";
  }

  async function open(channel) {
    app.channel = channel;
    app.jumpToEnd = true;
    app.state = null;
    if (channel === "home") await api("/api/home", { user: app.user });
    await refresh();
  }

  async function switchTo(user) {
    app.user = user;
    app.channel = null;
    app.last = {};
    app.state = null;
    delete document.body.dataset.user;
    for (const id of ["channel-list", "channel-header", "messages"]) document.getElementById(id).replaceChildren();
    drawPeople();
    await refresh();
  }

  /* --- the message box and its hints ---------------------------------------------------------- */

  function drawHints() {
    const box = document.getElementById("message-box");
    const hints = document.getElementById("hints");
    const typed = box.value.trim();
    hints.replaceChildren();
    if (!typed.startsWith("/")) { hints.hidden = true; return; }
    const words = typed.split(/\s+/);
    const wanted = words.length > 1 ? words[1].toLowerCase() : "";
    const matches = app.workspace.subcommands.filter((s) => s.name.startsWith(wanted) && words.length <= 2);
    for (const sub of matches) {
      hints.appendChild(el("li", { "data-subcommand": sub.name, onclick: () => { box.value = `/review ${sub.name} `; box.focus(); drawHints(); } }, [
        el("code", { text: `/review ${sub.usage}` }), el("span", { text: sub.summary }),
      ]));
    }
    hints.hidden = matches.length === 0;
  }

  async function send(event) {
    event.preventDefault();
    const box = document.getElementById("message-box");
    const text = box.value.trim();
    if (!text || app.channel === "home") return;
    box.value = "";
    drawHints();
    await api("/api/command", { user: app.user, channel: app.channel, text: text });
    app.jumpToEnd = true;
    await refresh();
  }

  /* --- the clock ------------------------------------------------------------------------------ */

  async function moveClock(body) {
    document.body.classList.add("busy");
    const answer = await api("/api/clock", body);
    document.body.classList.remove("busy");
    if (answer && answer.ok) toast(`It is now ${answer.clock.label} (UK time).`);
    await refresh();
  }

  async function start() {
    app.workspace = await fetch("/api/workspace").then((r) => r.json());
    const names = app.workspace.partnerships.join(" · ");
    document.getElementById("team-name").textContent = names;
    document.title = `ReviewBot sandbox — ${names}`;
    document.getElementById("composer").addEventListener("submit", send);
    const box = document.getElementById("message-box");
    box.addEventListener("input", drawHints);
    box.addEventListener("focus", drawHints);
    document.getElementById("nav-home").addEventListener("click", (e) => { e.preventDefault(); open("home"); });
    document.getElementById("nav-dm").addEventListener("click", (e) => { e.preventDefault(); open(e.currentTarget.dataset.channel); });
    document.getElementById("next-day").addEventListener("click", () => moveClock({ to: "next_working_day" }));
    document.getElementById("jump").addEventListener("submit", (e) => {
      e.preventDefault();
      moveClock({ to: "date", date: document.getElementById("jump-date").value });
    });
    await switchTo(app.workspace.people[0].user_id);
    setInterval(refresh, 1000);
  }

  window.Sandbox = { switchTo: switchTo, open: open, refresh: refresh };
  document.addEventListener("DOMContentLoaded", start);
})();
