"""File uploads as slack_sdk's ``files_upload_v2`` makes them: an upload URL, the bytes, then completion.

The fake serves the upload URL itself (``/upload/v1/{token}``); completing an upload into a conversation
posts a message carrying the files, as Slack does.
"""

from __future__ import annotations

import copy
import mimetypes
import secrets

from aiohttp import web
from aiohttp.web_request import FileField

from bot.sandbox.fake_slack.records import Channel, Message, UploadedFile
from bot.sandbox.fake_slack.wire import (
    _MULTIPART_CT,
    Handler,
    JsonDict,
    _ApiError,
    _Context,
    _metadata,
    _Params,
)
from bot.sandbox.fake_slack.workspace import Workspace


class FilesMixin(Workspace):
    """files.getUploadURLExternal, the upload endpoint and files.completeUploadExternal."""

    def _init_activity(self) -> None:
        super()._init_activity()
        self._files: dict[str, UploadedFile] = {}
        self._uploads: dict[str, str] = {}

    def _web_api_methods(self) -> dict[str, Handler]:
        return {
            **super()._web_api_methods(),
            "files.getUploadURLExternal": self._m_files_get_upload_url_external,
            "files.completeUploadExternal": self._m_files_complete_upload_external,
        }

    def _add_routes(self, router: web.UrlDispatcher) -> None:
        super()._add_routes(router)
        router.add_post("/upload/v1/{upload_token}", self._handle_upload)

    @property
    def files(self) -> list[UploadedFile]:
        return list(self._files.values())

    # --- methods: files --------------------------------------------------------------------------

    async def _m_files_get_upload_url_external(self, p: _Params, ctx: _Context) -> JsonDict:
        filename = p.get_str("filename")
        if not filename:
            raise _ApiError("invalid_arguments", extra=_metadata("missing required field: filename"))
        length = p.get_int("length", -1)
        if length < 0:
            raise _ApiError("invalid_arguments", extra=_metadata("missing required field: length"))
        file_id = self._new_id("F")
        upload_token = secrets.token_urlsafe(16)
        self._files[file_id] = UploadedFile(
            id=file_id, name=filename, length=length, upload_token=upload_token, alt_txt=p.get_str("alt_txt")
        )
        self._uploads[upload_token] = file_id
        return {"upload_url": f"{self.url}/upload/v1/{upload_token}", "file_id": file_id}

    async def _handle_upload(self, request: web.Request) -> web.Response:
        file_id = self._uploads.get(request.match_info["upload_token"])
        if file_id is None:
            return web.Response(status=404, text="not found", content_type="text/plain")
        upload = self._files[file_id]
        if request.content_type == _MULTIPART_CT:
            form = await request.post()
            files = [v for v in form.values() if isinstance(v, FileField)]
            content = files[0].file.read() if files else b""
        else:
            content = await request.read()
        upload.content = content
        return web.Response(status=200, text=f"OK - {len(content)}", content_type="text/plain")

    async def _m_files_complete_upload_external(self, p: _Params, ctx: _Context) -> JsonDict:
        files_arg = p.get_json("files", bad="invalid_arguments")
        if not isinstance(files_arg, list) or not files_arg:
            raise _ApiError("invalid_arguments", extra=_metadata("files must be a non-empty array"))
        uploads: list[tuple[UploadedFile, str | None]] = []
        for item in files_arg:
            if not isinstance(item, dict):
                raise _ApiError("invalid_arguments", extra=_metadata("files items must be objects"))
            upload = self._files.get(str(item.get("id", "")))
            if upload is None or upload.content is None or upload.completed:
                raise _ApiError("file_not_found")
            title = item.get("title")
            uploads.append((upload, title if isinstance(title, str) else None))
        channel_id = p.get_str("channel_id") or (p.get_str("channels") or "").split(",")[0] or None
        channel: Channel | None = None
        if channel_id:
            channel = self._resolve_channel(channel_id)
            if channel is None:
                raise _ApiError("invalid_channel")
            if self.bot_user_id not in channel.members:
                raise _ApiError("not_in_channel")
        thread_ts = p.get_str("thread_ts")
        comment = p.get_str("initial_comment")
        results: list[JsonDict] = []
        for upload, title in uploads:
            upload.title = title or upload.name
            upload.completed = True
            upload.channel_id = channel.id if channel else None
            upload.thread_ts = thread_ts
            upload.initial_comment = comment
            results.append(self._file_object(upload))
        if channel is not None:
            msg = Message(
                channel=channel.id,
                ts=self._next_ts(),
                text=comment or "",
                blocks=[],
                user=self.bot_user_id,
                bot_id=self.bot_id,
                app_id=self.app_id,
                files=copy.deepcopy(results),
            )
            self._store_message(msg, thread_ts)
            self._remember_text(channel.id, *[(u.name, u.title) for u, _ in uploads])
        return {"files": results}

    def _file_object(self, upload: UploadedFile) -> JsonDict:
        mimetype = mimetypes.guess_type(upload.name)[0] or "application/octet-stream"
        return {
            "id": upload.id,
            "created": self._epoch(),
            "timestamp": self._epoch(),
            "name": upload.name,
            "title": upload.title,
            "mimetype": mimetype,
            "filetype": upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else "binary",
            "user": self.bot_user_id,
            "size": upload.size,
            "mode": "hosted",
            "is_external": False,
            "is_public": bool(upload.channel_id and not self._channels[upload.channel_id].is_private),
            "url_private": f"{self.url}/files/{upload.id}/{upload.name}",
            "permalink": f"{self.url}/files/{upload.id}",
            "channels": [upload.channel_id] if upload.channel_id else [],
        }
