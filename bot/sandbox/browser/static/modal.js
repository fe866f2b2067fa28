/* Modals: the top view of the person's stack (views.open/push/update in the stand-in), its inputs, the
 * app's inline errors (response_action: errors), Submit, Cancel and Back for stacked views. The modal is
 * redrawn only when the view itself changes, so polling never wipes what the person has typed. */
(function () {
  "use strict";
  function el() { return window.Blocks.el.apply(null, arguments); }
  let shownKey = null;
  let errors = {};

  function key(view) {
    return view ? `${view.id}:${view.hash || ""}:${JSON.stringify(view.blocks).length}` : null;
  }

  function show(view, depth, ctx) {
    const layer = document.getElementById("modal-layer");
    if (!view) {
      layer.hidden = true;
      layer.replaceChildren();
      shownKey = null;
      errors = {};
      return;
    }
    const k = key(view);
    if (k === shownKey) return;
    if (!shownKey || shownKey.split(":")[0] !== view.id) errors = {};
    shownKey = k;
    draw(view, depth, ctx);
  }

  function draw(view, depth, ctx) {
    const B = window.Blocks;
    const layer = document.getElementById("modal-layer");
    const body = el("div", { class: "modal-body" });
    const blockCtx = Object.assign({}, ctx, {
      errors: errors,
      onAction: (info) => ctx.onAction(Object.assign(info, { view_id: view.id, state: B.collectState(body) })),
    });
    body.appendChild(B.render(view.blocks, blockCtx));
    const closeText = view.close ? view.close.text : "Cancel";
    const buttons = [
      el("button", { type: "button", id: "modal-cancel", class: "btn", text: depth > 1 ? "Back" : closeText, onclick: () => ctx.close(view) }),
    ];
    if (view.submit) {
      buttons.push(el("button", {
        type: "button", id: "modal-submit", class: "btn primary", text: view.submit.text,
        onclick: async (event) => {
          event.target.disabled = true;
          const answer = await ctx.submit(view, B.collectState(body));
          event.target.disabled = false;
          if (answer && answer.errors && Object.keys(answer.errors).length) {
            errors = answer.errors;
            markErrors(body, errors);
          }
        },
      }));
    }
    const dialog = el("div", { id: "modal", class: "modal", role: "dialog", "aria-modal": "true", "data-callback-id": view.callback_id, "data-view-id": view.id }, [
      el("div", { class: "modal-title" }, [
        el("span", { text: view.title ? view.title.text : "" }),
        depth > 1 ? el("span", { class: "stack", text: `${depth} windows open` }) : null,
        el("button", { type: "button", class: "x", title: "Close", text: "×", onclick: () => ctx.close(view, true) }),
      ]),
      body,
      el("div", { class: "modal-footer" }, buttons),
    ]);
    layer.replaceChildren(dialog);
    layer.hidden = false;
  }

  /* Show the app's errors beside their inputs, keeping what the person typed. */
  function markErrors(body, found) {
    for (const node of body.querySelectorAll(".block.input .error")) node.remove();
    for (const node of body.querySelectorAll(".has-error")) node.classList.remove("has-error");
    for (const [blockId, message] of Object.entries(found)) {
      const block = body.querySelector(`[data-block="${CSS.escape(blockId)}"]`);
      if (!block) continue;
      block.classList.add("has-error");
      block.appendChild(el("div", { class: "error", role: "alert", text: message }));
    }
    const first = body.querySelector(".has-error");
    if (first) first.scrollIntoView({ block: "center" });
  }

  window.Modal = { show: show };
})();
