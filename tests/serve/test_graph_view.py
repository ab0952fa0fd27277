"""The interactive graph view served at /graph."""
from __future__ import annotations

import urllib.request


def test_graph_view_is_served_as_one_offline_page(endpoint):
    with urllib.request.urlopen(endpoint + "/graph", timeout=60) as reply:
        body = reply.read().decode("utf-8")
        assert reply.status == 200 and reply.headers["Content-Type"].startswith("text/html")
    assert "Lương Cường" in body and "Sonexay Siphandone" in body
    assert "https://cdn" not in body and '<script src="http' not in body
