"""The OpenAPI document at /api/v1/openapi.json: it parses, is OpenAPI 3,
describes exactly the routes of the server's route table (printed by the
hidden `suit-server --list-routes`), and every one of them is answered."""
import re
import subprocess

import pytest

from conftest import SUIT_SERVER

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


@pytest.fixture(scope="module")
def document(server):
    response = server.client(token="").request("GET", "/api/v1/openapi.json")
    assert response.status == 200
    assert response.header("Content-Type") == "application/json"
    return response.json()


@pytest.fixture(scope="module")
def routes():
    out = subprocess.run([SUIT_SERVER, "--list-routes"], capture_output=True, text=True, check=True).stdout
    table = set()
    for line in out.splitlines():
        method, pattern = line.split(" ")
        table.add((method, pattern))
    assert len(table) >= 25
    return table


def test_document_is_openapi_3(document):
    assert document["openapi"].startswith("3.0.")
    assert document["info"]["title"] and document["info"]["version"]
    schemes = document["components"]["securitySchemes"]
    assert schemes["bearerAuth"] == {"type": "http", "scheme": "bearer", "description": schemes["bearerAuth"]["description"]}
    assert schemes["deviceAuth"]["scheme"] == "bearer"


def test_every_route_is_documented(document, routes):
    documented = set()
    for path, item in document["paths"].items():
        for method in item:
            assert method in METHODS, (path, method)
            documented.add((method.upper(), path))
    assert documented == routes


def test_operations_are_complete(document):
    schemas = document["components"]["schemas"]
    responses = document["components"]["responses"]
    ids = set()

    def check_refs(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "$ref":
                    kind, name = value.split("/")[-2:]
                    assert name in (schemas if kind == "schemas" else responses), value
                else:
                    check_refs(value)
        elif isinstance(node, list):
            for value in node:
                check_refs(value)

    check_refs(document)
    for path, item in document["paths"].items():
        names = set(re.findall(r"{([^}]+)}", path))
        for method, operation in item.items():
            assert operation["operationId"] not in ids
            ids.add(operation["operationId"])
            assert operation["summary"] and operation["responses"]
            assert any(code.startswith("2") for code in operation["responses"]), (method, path)
            params = {p["name"] for p in operation.get("parameters", []) if p["in"] == "path"}
            assert params == names, (method, path)
            # public routes say so; the others use one of the schemes
            for requirement in operation.get("security", document["security"]):
                assert set(requirement) <= {"bearerAuth", "deviceAuth"}
            if method in ("post",) and path not in ("/api/v1/campaigns/{campaign}/pause",
                                                     "/api/v1/campaigns/{campaign}/resume",
                                                     "/api/v1/campaigns/{campaign}/cancel"):
                assert "requestBody" in operation, (method, path)


def test_every_documented_route_answers(server, document):
    """no documented route is unknown to the server (404 "no such route") or 405"""
    client = server.client(token="")
    samples = {"manifest": "0" * 64, "digest": "0" * 64, "device": "dev-x", "campaign": "c-0000000000000000",
               "token": "0000000000000000"}
    for path, item in document["paths"].items():
        concrete = re.sub(r"{([^}]+)}", lambda m: samples[m.group(1)], path)
        for method in item:
            response = client.request(method.upper(), concrete, body=b"{}" if method == "post" else None)
            assert response.status != 405, (method, path)
            if response.status == 404 and method != "head":
                assert response.json()["detail"] != "no such route", (method, path)
