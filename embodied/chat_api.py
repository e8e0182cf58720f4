"""A minimal client for OpenAI-compatible chat-completions endpoints.

Hosted models, and local vLLM or Ollama servers, all speak this protocol. The omnimodel's
VLM backend and Mind's Eye's language-model answerer both call down to this one module.
Base URL from OPENAI_BASE_URL (default https://api.openai.com/v1), key from
OPENAI_API_KEY; only the standard library is used. Every failure is an EmbodiedError that
says what went wrong and where.
"""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.request
from typing import Any

from embodied.errors import EmbodiedError

DEFAULT_BASE_URL = "https://api.openai.com/v1"


def endpoint_from_env(base_url: str | None = None, api_key: str | None = None) -> tuple[str, str]:
    """The base URL and key to use: the arguments, else the environment, else the defaults."""
    url = (base_url or os.environ.get("OPENAI_BASE_URL") or DEFAULT_BASE_URL).rstrip("/")
    key = api_key if api_key is not None else os.environ.get("OPENAI_API_KEY", "")
    return url, key


def post_chat(base_url: str, api_key: str, body: dict[str, Any], timeout: float) -> dict[str, Any]:
    """POST a chat-completions request; the decoded JSON reply."""
    url = f"{base_url}/chat/completions"
    if not api_key and base_url == DEFAULT_BASE_URL:
        raise EmbodiedError("OPENAI_API_KEY is not set (or set OPENAI_BASE_URL to a local server)")
    headers = {"Content-Type": "application/json", **({"Authorization": f"Bearer {api_key}"} if api_key else {})}
    request = urllib.request.Request(url, json.dumps(body).encode(), headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return json.loads(response.read().decode())
    except urllib.error.HTTPError as error:
        detail = error.read().decode(errors="replace")[:300]
        raise EmbodiedError(f"the language model endpoint {url} answered HTTP {error.code}: {detail}") from None
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        raise EmbodiedError(f"cannot reach the language model endpoint {url}: "
                            f"{getattr(error, 'reason', error)}") from None
    except json.JSONDecodeError as error:
        raise EmbodiedError(f"the language model endpoint {url} did not answer JSON: {error}") from None
