"""The framework floor: a bare slack-bolt AsyncApp that only acks, behind FastAPI and uvicorn.

Run as ``python -m benchmarks.bare_app --port P --api-url URL --process-before-response 0|1``. It
answers the same signed ``/review`` commands and ``refresh_card`` clicks the ack benchmark sends to
ReviewBot, through bolt's own FastAPI adapter (which verifies the signature), and nothing else.
"""

from __future__ import annotations

import argparse

import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from slack_bolt.adapter.fastapi.async_handler import AsyncSlackRequestHandler
from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient
from starlette.responses import Response

from bot.sandbox.harness import BOT_TOKEN, SIGNING_SECRET
from bot.slack.ids import ActionId


def build(process_before_response: bool, api_url: str) -> FastAPI:
    # token= would point bolt's client at slack.com; the same token with the stand-in's URL instead.
    app = AsyncApp(
        signing_secret=SIGNING_SECRET,
        client=AsyncWebClient(token=BOT_TOKEN, base_url=api_url),
        process_before_response=process_before_response,
    )

    @app.command("/review")
    async def review(ack):  # type: ignore[no-untyped-def]
        await ack()

    @app.action(ActionId.REFRESH_CARD.value)
    async def refresh(ack):  # type: ignore[no-untyped-def]
        await ack()

    handler = AsyncSlackRequestHandler(app)
    api = FastAPI()

    @api.post("/slack/events")
    async def events(request: Request) -> Response:
        return await handler.handle(request)

    @api.get("/healthz")
    async def healthz() -> JSONResponse:
        return JSONResponse({"status": "ok"})

    return api


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--api-url", required=True)
    parser.add_argument("--process-before-response", type=int, choices=(0, 1), default=0)
    args = parser.parse_args()
    api = build(bool(args.process_before_response), args.api_url)
    uvicorn.run(api, host="127.0.0.1", port=args.port, log_level="warning", access_log=False, workers=1)


if __name__ == "__main__":
    main()
