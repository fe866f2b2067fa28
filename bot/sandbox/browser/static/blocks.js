/* Block Kit rendered as HTML: messages, the Home tab and modals share this. Plain JavaScript, no build.
 * Blocks.render(blocks, ctx) returns a DOM node; ctx = {labels, people, channels, onAction(info),
 * errors: {block_id: message}}. Blocks.collectState(node) reads the inputs back as Slack's
 * view.state.values. Mentions (<@U…>) are shown by label, never by member id. */
(function () {
  "use strict";

  function el(tag, attrs, children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === undefined || value === null || value === false) continue;
      if (key === "text") node.textContent = value;
      else if (key === "html") node.innerHTML = value;
      else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value === true ? "" : value);
    }
    for (const child of [].concat(children || [])) {
      if (child) node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    }
    return node;
  }

  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
  }

  function unescapeSlack(text) {
    return text.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
  }

  function label(ctx, id) {
    return (ctx.labels && ctx.labels[id]) || "someone";
  }

  const EMOJI = {
    white_check_mark: "\u2705", warning: "\u26a0\ufe0f", x: "\u274c", hourglass: "\u231b", calendar: "\ud83d\udcc5",
    bell: "\ud83d\udd14", pushpin: "\ud83d\udccc", lock: "\ud83d\udd12", memo: "\ud83d\udcdd", red_circle: "\ud83d\udd34",
    large_orange_circle: "\ud83d\udfe0", large_green_circle: "\ud83d\udfe2", information_source: "\u2139\ufe0f",
    heavy_check_mark: "\u2714\ufe0f", white_circle: "\u26aa", hourglass_flowing_sand: "\u23f3", large_yellow_circle: "\ud83d\udfe1", clipboard: "\ud83d\udccb", rotating_light: "\ud83d\udea8", no_entry: "\u26d4",
    zzz: "\ud83d\udca4", page_facing_up: "\ud83d\udcc4", busts_in_silhouette: "\ud83d\udc65", house: "\ud83c\udfe0",
  };

  function formatPlain(text) {
    let html = escapeHtml(unescapeSlack(text));
    html = html.replace(/:([a-z0-9_+-]+):/g, (all, name) => EMOJI[name] || all);
    html = html.replace(/```([\s\S]*?)```/g, "<pre>$1</pre>");
    html = html.replace(/`([^`\n]+)`/g, "<code>$1</code>");
    html = html.replace(/(^|[\s(>])\*([^*\n]+)\*/g, "$1<b>$2</b>");
    html = html.replace(/(^|[\s(>])_([^_\n]+)_/g, "$1<i>$2</i>");
    html = html.replace(/(^|[\s(>])~([^~\n]+)~/g, "$1<s>$2</s>");
    html = html.replace(/^&gt; ?(.*)$/gm, "<blockquote>$1</blockquote>");
    return html.replace(/\n/g, "<br>");
  }

  /* Slack's mrkdwn: <@U…>, <#C…|name>, <!here>, <url|text>, *bold*, _italic_, ~strike~, `code`. */
  function mrkdwn(text, ctx) {
    const parts = String(text || "").split(/<([^<>\n]+)>/);
    let html = "";
    parts.forEach((part, i) => {
      if (i % 2 === 0) { html += formatPlain(part); return; }
      const [target, shown] = part.split("|");
      if (target.startsWith("@")) html += `<span class="mention">@${escapeHtml(label(ctx, target.slice(1)))}</span>`;
      else if (target.startsWith("#")) html += `<span class="mention">#${escapeHtml(shown || channelName(ctx, target.slice(1)))}</span>`;
      else if (target.startsWith("!date")) html += formatPlain(shown || "");
      else if (target.startsWith("!")) html += `<span class="mention">@${escapeHtml((shown || target.slice(1)).split("^")[0])}</span>`;
      else html += `<a href="${escapeHtml(target)}" target="_blank" rel="noopener">${escapeHtml(unescapeSlack(shown || target))}</a>`;
    });
    return html;
  }

  function channelName(ctx, id) {
    const found = (ctx.channels || []).find((c) => c.id === id);
    return found ? found.name : "channel";
  }

  function textNode(obj, ctx, tag) {
    if (!obj) return null;
    if (obj.type === "mrkdwn") return el(tag || "div", { class: "mrkdwn", html: mrkdwn(obj.text, ctx) });
    return el(tag || "div", { class: "plain", text: obj.text });
  }

  function plain(obj) {
    return obj ? String(obj.text || "") : "";
  }

  function optionList(element) {
    if (element.option_groups) return element.option_groups.flatMap((g) => g.options || []);
    return element.options || [];
  }

  function fire(ctx, element, blockId, extra) {
    if (element.confirm && !window.confirm(`${plain(element.confirm.title)}\n\n${plain(element.confirm.text)}`)) return;
    ctx.onAction(Object.assign({ action_id: element.action_id, block_id: blockId }, extra));
  }

  function dataAttrs(element, blockId) {
    return { "data-action-id": element.action_id, "data-block-id": blockId, "data-type": element.type };
  }

  function selectNode(element, blockId, options, multiple, initial) {
    const select = el("select", Object.assign(dataAttrs(element, blockId), { multiple: multiple }));
    if (!multiple) select.appendChild(el("option", { value: "", text: plain(element.placeholder) || "Choose…" }));
    const chosen = new Set([].concat(initial || []).map((o) => (typeof o === "string" ? o : o.value)));
    for (const option of options) {
      select.appendChild(el("option", { value: option.value, text: plain(option.text), selected: chosen.has(option.value) }));
    }
    return select;
  }

  function chosenOptions(select, options) {
    const values = Array.from(select.selectedOptions).map((o) => o.value).filter(Boolean);
    return values.map((v) => {
      const found = options.find((o) => o.value === v);
      return { text: found ? found.text : { type: "plain_text", text: v }, value: v };
    });
  }

  /* One interactive element. In a message or the Home tab (dispatch), a change is an action at once;
   * inside a modal's input block it is only state, read on submit. */
  function element(elementObj, blockId, ctx, dispatch) {
    const e = elementObj;
    switch (e.type) {
      case "button":
        return el("button", Object.assign(dataAttrs(e, blockId), {
          type: "button", class: `btn ${e.style || ""}`, text: plain(e.text),
          onclick: () => fire(ctx, e, blockId, { value: e.value }),
        }));
      case "overflow": {
        const select = el("select", Object.assign(dataAttrs(e, blockId), { class: "overflow", title: "More actions" }));
        select.appendChild(el("option", { value: "", text: "⋯" }));
        for (const option of e.options || []) select.appendChild(el("option", { value: option.value, text: plain(option.text) }));
        select.addEventListener("change", () => {
          const option = (e.options || []).find((o) => o.value === select.value);
          if (option) fire(ctx, e, blockId, { selected_option: option });
        });
        return select;
      }
      case "static_select":
      case "multi_static_select": {
        const options = optionList(e);
        const multiple = e.type === "multi_static_select";
        const select = selectNode(e, blockId, options, multiple, multiple ? e.initial_options : e.initial_option);
        if (dispatch) {
          select.addEventListener("change", () => {
            const chosen = chosenOptions(select, options);
            if (multiple) fire(ctx, e, blockId, { selected_options: chosen });
            else if (chosen.length) fire(ctx, e, blockId, { selected_option: chosen[0] });
          });
        }
        return select;
      }
      case "users_select":
      case "multi_users_select": {
        const options = (ctx.people || []).map((p) => ({ value: p.user_id, text: { type: "plain_text", text: p.label } }));
        const multiple = e.type === "multi_users_select";
        return selectNode(e, blockId, options, multiple, multiple ? e.initial_users : e.initial_user);
      }
      case "conversations_select":
      case "channels_select": {
        const options = (ctx.channels || []).map((c) => ({ value: c.id, text: { type: "plain_text", text: "#" + c.name } }));
        return selectNode(e, blockId, options, false, e.initial_conversation || e.initial_channel);
      }
      case "datepicker": {
        const input = el("input", Object.assign(dataAttrs(e, blockId), { type: "date", value: e.initial_date || "" }));
        if (dispatch) input.addEventListener("change", () => input.value && fire(ctx, e, blockId, { selected_date: input.value }));
        return input;
      }
      case "timepicker":
        return el("input", Object.assign(dataAttrs(e, blockId), { type: "time", value: e.initial_time || "" }));
      case "plain_text_input":
      case "email_text_input":
      case "url_text_input":
      case "number_input": {
        const attrs = Object.assign(dataAttrs(e, blockId), { placeholder: plain(e.placeholder), maxlength: e.max_length });
        if (e.multiline) return el("textarea", Object.assign(attrs, { rows: 4, text: e.initial_value || "" }));
        const kind = { email_text_input: "email", url_text_input: "url", number_input: "number" }[e.type] || "text";
        return el("input", Object.assign(attrs, { type: kind, value: e.initial_value || "" }));
      }
      case "radio_buttons":
      case "checkboxes": {
        const box = el("div", Object.assign(dataAttrs(e, blockId), { class: "choices" }));
        const initial = [].concat(e.initial_options || e.initial_option || []).map((o) => o.value);
        const name = `${blockId}-${e.action_id}`;
        for (const option of e.options || []) {
          const input = el("input", {
            type: e.type === "radio_buttons" ? "radio" : "checkbox", name: name, value: option.value,
            checked: initial.includes(option.value),
          });
          box.appendChild(el("label", { class: "choice" }, [input, el("span", { html: option.text.type === "mrkdwn" ? mrkdwn(option.text.text, ctx) : escapeHtml(option.text.text) })]));
        }
        return box;
      }
      case "image":
        return el("span", { class: "image-alt", text: `[image: ${e.alt_text || ""}]` });
      default:
        return el("span", { class: "unsupported", text: `[${e.type} not shown in the sandbox]` });
    }
  }

  function richText(block, ctx) {
    const box = el("div", { class: "rich-text" });
    const inline = (elements) => {
      const span = el("span");
      for (const item of elements || []) {
        let node;
        if (item.type === "text") node = el("span", { text: item.text });
        else if (item.type === "link") node = el("a", { href: item.url, target: "_blank", rel: "noopener", text: item.text || item.url });
        else if (item.type === "user") node = el("span", { class: "mention", text: "@" + label(ctx, item.user_id) });
        else if (item.type === "channel") node = el("span", { class: "mention", text: "#" + channelName(ctx, item.channel_id) });
        else if (item.type === "emoji") node = el("span", { text: item.unicode ? String.fromCodePoint(parseInt(item.unicode, 16)) : `:${item.name}:` });
        else node = el("span", { text: item.text || "" });
        const style = item.style || {};
        if (style.bold) node = el("b", {}, [node]);
        if (style.italic) node = el("i", {}, [node]);
        if (style.strike) node = el("s", {}, [node]);
        if (style.code) node = el("code", {}, [node]);
        span.appendChild(node);
      }
      return span;
    };
    for (const part of block.elements || []) {
      if (part.type === "rich_text_section") box.appendChild(el("div", {}, [inline(part.elements)]));
      else if (part.type === "rich_text_quote") box.appendChild(el("blockquote", {}, [inline(part.elements)]));
      else if (part.type === "rich_text_preformatted") box.appendChild(el("pre", {}, [inline(part.elements)]));
      else if (part.type === "rich_text_list") {
        const list = el(part.style === "ordered" ? "ol" : "ul");
        for (const item of part.elements || []) list.appendChild(el("li", {}, [inline(item.elements)]));
        box.appendChild(list);
      }
    }
    return box;
  }

  function block(b, ctx) {
    const id = b.block_id;
    const wrap = (cls, children) => el("div", { class: `block ${cls}`, "data-block": id }, children);
    switch (b.type) {
      case "header":
        return wrap("header", [el("h3", { text: plain(b.text) })]);
      case "divider":
        return wrap("divider", [el("hr")]);
      case "section": {
        const main = el("div", { class: "section-main" }, [textNode(b.text, ctx)]);
        if (b.fields) main.appendChild(el("div", { class: "fields" }, b.fields.map((f) => textNode(f, ctx))));
        const accessory = b.accessory ? el("div", { class: "accessory" }, [element(b.accessory, id, ctx, true)]) : null;
        return wrap("section", [main, accessory]);
      }
      case "context":
        return wrap("context", (b.elements || []).map((e) => (e.type === "image" ? element(e, id, ctx) : textNode(e, ctx, "span"))));
      case "actions":
        return wrap("actions", (b.elements || []).map((e) => element(e, id, ctx, true)));
      case "input": {
        const error = ctx.errors && ctx.errors[id];
        return wrap(`input${error ? " has-error" : ""}`, [
          el("label", { class: "input-label", text: plain(b.label) + (b.optional ? " (optional)" : "") }),
          element(b.element, id, ctx, Boolean(b.dispatch_action)),
          b.hint ? el("div", { class: "hint", text: plain(b.hint) }) : null,
          error ? el("div", { class: "error", role: "alert", text: error }) : null,
        ]);
      }
      case "rich_text":
        return wrap("rich", [richText(b, ctx)]);
      case "image":
        return wrap("image", [el("span", { class: "image-alt", text: `[image: ${b.alt_text || ""}]` })]);
      default:
        return wrap("unknown", [el("span", { class: "unsupported", text: `[${b.type} block]` })]);
    }
  }

  function render(blocks, ctx) {
    const box = el("div", { class: "blocks" });
    for (const b of blocks || []) box.appendChild(block(b, ctx));
    return box;
  }

  /* Slack's view.state.values for every input element under node. */
  function collectState(node) {
    const values = {};
    for (const input of node.querySelectorAll("[data-action-id]")) {
      const blockId = input.dataset.blockId;
      const actionId = input.dataset.actionId;
      const type = input.dataset.type;
      let state;
      if (type === "plain_text_input" || type === "email_text_input" || type === "url_text_input" || type === "number_input") {
        state = { type: type, value: input.value === "" ? null : input.value };
      } else if (type === "static_select") {
        const option = input.selectedOptions[0];
        state = { type: type, selected_option: option && option.value ? { text: { type: "plain_text", text: option.textContent }, value: option.value } : null };
      } else if (type === "multi_static_select") {
        state = { type: type, selected_options: Array.from(input.selectedOptions).map((o) => ({ text: { type: "plain_text", text: o.textContent }, value: o.value })) };
      } else if (type === "users_select") {
        state = { type: type, selected_user: input.value || null };
      } else if (type === "multi_users_select") {
        state = { type: type, selected_users: Array.from(input.selectedOptions).map((o) => o.value) };
      } else if (type === "conversations_select" || type === "channels_select") {
        state = { type: type, [type === "channels_select" ? "selected_channel" : "selected_conversation"]: input.value || null };
      } else if (type === "datepicker") {
        state = { type: type, selected_date: input.value || null };
      } else if (type === "timepicker") {
        state = { type: type, selected_time: input.value || null, timezone: "Europe/London" };
      } else if (type === "radio_buttons" || type === "checkboxes") {
        const picked = Array.from(input.querySelectorAll("input:checked")).map((i) => ({
          text: { type: "plain_text", text: i.parentNode.textContent }, value: i.value,
        }));
        state = type === "radio_buttons" ? { type: type, selected_option: picked[0] || null } : { type: type, selected_options: picked };
      } else {
        continue;
      }
      values[blockId] = values[blockId] || {};
      values[blockId][actionId] = state;
    }
    return values;
  }

  window.Blocks = { render: render, mrkdwn: mrkdwn, collectState: collectState, el: el };
})();
