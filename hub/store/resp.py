"""A small asyncio client for the Redis protocol (RESP2), as FalkorDB speaks it.

Each command takes a connection of its own from a pool, so commands sent at the same time
run side by side in the server's query threads (FalkorDB holds a client's later commands
until its current query ends). Replies are parsed by hiredis. redis-py's asyncio client
spent about 0.16 ms of CPU on a PING on these machines (retry wrappers, connection-pool
bookkeeping, option handling per command); this one spends a fraction of that, and a hub
request sends half a dozen queries.

A connection whose command did not run to its reply (cancelled, timed out, cut) is closed
rather than reused: its next reply would belong to the abandoned command.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

import hiredis


class RespError(Exception):
    """The server answered with an error reply; the message is the server's."""


class RespConnectionError(OSError):
    """The server could not be reached, or the connection broke mid-command."""


class RespNotSent(RespConnectionError):
    """The connection broke before the command was handed over whole: no server ran it."""


@dataclass(frozen=True)
class Endpoint:
    """Where the server listens: a Unix socket, or host and port."""

    unix_socket: str | None = None
    host: str = "127.0.0.1"
    port: int = 6379
    password: str | None = None

    def __str__(self) -> str:
        return self.unix_socket or f"{self.host}:{self.port}"


Reply = str | int | list["Reply"] | RespError | None  # as hiredis gives RESP2, as text


def encode(args: tuple[str | bytes | int, ...]) -> bytes:
    """A command as a RESP array of bulk strings."""
    parts = [b"*%d\r\n" % len(args)]
    for arg in args:
        data = arg if isinstance(arg, bytes) else str(arg).encode()
        parts.append(b"$%d\r\n%s\r\n" % (len(data), data))
    return b"".join(parts)


class _Connection:
    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._reader, self._writer = reader, writer
        self._parser = hiredis.Reader(notEnoughData=False, replyError=RespError, encoding="utf-8")

    @classmethod
    async def open(cls, endpoint: Endpoint) -> _Connection:
        try:
            if endpoint.unix_socket:
                reader, writer = await asyncio.open_unix_connection(endpoint.unix_socket)
            else:
                reader, writer = await asyncio.open_connection(endpoint.host, endpoint.port)
        except OSError as exc:
            raise RespConnectionError(f"cannot connect to {endpoint}: {exc}") from exc
        connection = cls(reader, writer)
        if endpoint.password:
            reply = await connection.call(("AUTH", endpoint.password))
            if isinstance(reply, RespError):
                connection.close()
                raise RespConnectionError(f"{endpoint} refused the password: {reply}")
        return connection

    async def call(self, args: tuple[str | bytes | int, ...]) -> Reply:
        try:
            self._writer.write(encode(args))
            await self._writer.drain()  # at once, unless a large batch fills the socket
        except OSError as exc:
            raise RespNotSent(f"the connection was closed: {exc}") from exc
        parser = self._parser
        while (reply := parser.gets()) is False:
            data = await self._reader.read(65536)
            if not data:
                raise RespConnectionError("the server closed the connection")
            parser.feed(data)
        result: Reply = reply
        return result

    @property
    def closed(self) -> bool:
        """True when the server has closed this connection (it died, or was restarted)."""
        return self._reader.at_eof() or self._writer.is_closing()

    def close(self) -> None:
        self._writer.close()


class RespClient:
    """Commands to one server over a pool of connections, opened as needed."""

    def __init__(self, endpoint: Endpoint) -> None:
        self.endpoint = endpoint
        self._idle: list[_Connection] = []
        self._closed = False

    async def call(self, *args: str | bytes | int, retry: bool = False) -> Reply:
        """Send one command; an error reply comes back as a `RespError` value, not raised
        (FalkorDB also puts errors inside replies, so the caller looks either way).

        Pooled connections the server has closed (it died or restarted) are dropped before
        use. One may still die unnoticed: when one fails, the others are closed too, and the
        command is sent once more on a new connection if it cannot have run (the connection
        broke before it was handed over) or with `retry` (for commands that change nothing).
        A command that may have changed something is not sent twice; its caller sees the
        error.
        """
        if self._closed:
            raise RespConnectionError("the client is closed")
        while self._idle and self._idle[-1].closed:  # the server went away since: drop them
            self._idle.pop().close()
        if self._idle:
            try:
                return await self._call_on(self._idle.pop(), args)
            except RespConnectionError as exc:
                self._drop_idle()  # opened alike, most likely dead alike
                if not (retry or isinstance(exc, RespNotSent)):
                    raise
        return await self._call_on(await _Connection.open(self.endpoint), args)

    def _drop_idle(self) -> None:
        while self._idle:
            self._idle.pop().close()

    async def _call_on(self, connection: _Connection, args: tuple[str | bytes | int, ...]) -> Reply:
        try:
            reply = await connection.call(args)
        except BaseException as exc:
            connection.close()
            if isinstance(exc, OSError) and not isinstance(exc, RespConnectionError):
                raise RespConnectionError(f"connection to {self.endpoint} failed: {exc}") from exc
            raise
        self._idle.append(connection)
        return reply

    async def close(self) -> None:
        self._closed = True
        self._drop_idle()
