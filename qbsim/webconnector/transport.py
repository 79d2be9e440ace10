"""HTTP(S) for the SOAP calls, with the checks and failures of QBWC's .NET client.

One connection per call keeps every call independent, so a dropped connection (the
drop-connection fault) affects exactly one call. TLS is verified against the system store or a
given CA file, with host-name checking, as QBWC does (an untrusted certificate ends the run).
"""

from __future__ import annotations

import http.client
import socket
import ssl
from urllib.parse import urlsplit

from .errors import SoapFaultError, TransportError
from .safexml import MAX_DOCUMENT_BYTES
from .soap import raise_for_fault, soap_action

#: What .NET's SoapHttpClientProtocol sends; some services log or route on it.
CLOSED = 'The underlying connection was closed'
USER_AGENT = 'Mozilla/4.0 (compatible; MSIE 6.0; MS Web Services Client Protocol 4.0.30319.42000)'


class SoapTransport:
    """POSTs SOAP envelopes to the service's AppURL."""

    def __init__(self, url: str, cafile: str | None = None, timeout_s: float = 120.0) -> None:
        parts = urlsplit(url)
        self.url = url
        self._https = parts.scheme == 'https'
        self._host = parts.hostname or ''
        self._port = parts.port
        self._path = (parts.path or '/') + (f'?{parts.query}' if parts.query else '')
        self._timeout_s = timeout_s
        self._tls = ssl.create_default_context(cafile=cafile) if self._https else None

    def _connection(self) -> http.client.HTTPConnection:
        if self._https:
            return http.client.HTTPSConnection(self._host, self._port, timeout=self._timeout_s, context=self._tls)
        return http.client.HTTPConnection(self._host, self._port, timeout=self._timeout_s)

    def post(self, operation: str, envelope: bytes, *, drop_connection: bool = False) -> bytes:
        """Send one call and return the answer's body.

        With `drop_connection` the request is sent whole and the connection is closed as soon as
        the service starts answering, before the answer is read: the service has handled the call
        but the web connector never learns its result.
        """
        headers = {
            'Content-Type': 'text/xml; charset=utf-8',
            'SOAPAction': soap_action(operation),
            'User-Agent': USER_AGENT,
        }
        connection = self._connection()
        try:
            connection.request('POST', self._path, body=envelope, headers=headers)
            response = connection.getresponse()
            if drop_connection:
                raise TransportError('The underlying connection was closed: The connection was closed unexpectedly.')
            body = response.read(MAX_DOCUMENT_BYTES + 1)
        except ssl.SSLCertVerificationError as exc:
            raise TransportError(
                'The underlying connection was closed: Could not establish trust relationship for the SSL/TLS '
                f'secure channel. ({exc.verify_message})'
            ) from exc
        except ssl.SSLError as exc:
            raise TransportError(f'{CLOSED}: An unexpected error occurred on a send. ({exc})') from exc
        except TimeoutError as exc:
            raise TransportError('The operation has timed out') from exc
        except ConnectionRefusedError as exc:
            raise TransportError(f'Unable to connect to the remote server ({exc})') from exc
        except socket.gaierror as exc:
            raise TransportError(f'The remote name could not be resolved: {self._host!r} ({exc})') from exc
        except (http.client.HTTPException, OSError) as exc:
            raise TransportError(f'{CLOSED}: The connection was closed unexpectedly. ({exc})') from exc
        finally:
            connection.close()
        return self._check(response, body)

    @staticmethod
    def _check(response: http.client.HTTPResponse, body: bytes) -> bytes:
        if len(body) > MAX_DOCUMENT_BYTES:
            raise TransportError(f'The response is larger than {MAX_DOCUMENT_BYTES} bytes.')
        content_type = response.getheader('Content-Type', '')
        if response.status == 200 and content_type.split(';')[0].strip().lower() == 'text/xml':
            return body
        if response.status == 500:
            try:
                raise_for_fault(body)
            except SoapFaultError:
                if content_type.split(';')[0].strip().lower() == 'text/xml':
                    raise
        if response.status != 200:
            raise TransportError(f'The request failed with HTTP status {response.status}: {response.reason}.')
        raise TransportError(f"Client found response content type of '{content_type}', but expected 'text/xml'.")
