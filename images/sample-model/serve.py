#!/usr/bin/env python3
"""MedOps sample model server: serves what train.py writes over the Open Inference Protocol.

The KServe v2 REST protocol, on the standard library's ThreadingHTTPServer, with joblib and
scikit-learn to load the model and numpy to run it.

Environment (the operator sets the first three):
  MODEL_DIR             folder with model.joblib and model.json (default /mnt/models)
  MEDOPS_MODEL_NAME     the name in the /v2/models/{name} paths (default "model")
  MEDOPS_MODEL_VERSION  the model's version, "" for none (default "")
  PORT                  port to listen on, on 0.0.0.0 (default 8080)

Endpoints (JSON in and out):
  GET  /v2/health/live                     200 as soon as the process listens
  GET  /v2/health/ready                    200 once the model is loaded, else 503 with the error
  GET  /v2                                 server metadata
  GET  /v2/models/{name}[/versions/{v}]    model metadata (503 until loaded)
  GET  /v2/models/{name}[/versions/{v}]/ready
  POST /v2/models/{name}[/versions/{v}]/infer
       one input of shape [N, n_features], FP32, FP64, INT32 or INT64, data flat or one list a row;
       outputs "output-0" (class, INT64), "probabilities" ([N, 2], FP32) and "label" (BYTES).
Errors answer {"error": "..."}: 400 for a bad request, 404 for another model or path, 405 for the
wrong method, 411 without Content-Length or chunked encoding, 413 for a body over 1 MiB, 503 while not ready.

The model loads in a background thread, so liveness answers while scikit-learn is imported.
joblib files are pickles: loading one runs code, so serve only models you trust. SIGTERM and
SIGINT stop the server (exit 0); 2 means bad configuration, 1 that the port could not be bound.
"""

import dataclasses
import json
import os
import re
import signal
import sys
import threading
import time
import traceback
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import unquote, urlsplit

import numpy as np

SERVER_NAME = "medops-sample-server"
SERVER_VERSION = "0.1.0"
MAX_BODY = 1 << 20
# An oversized body up to this size is read and dropped before the 413, because closing a
# connection with unread data resets it and the client, still sending, would never see the answer.
DISCARD_LIMIT = 16 << 20
DATATYPES = {"FP32": np.float32, "FP64": np.float64, "INT32": np.int32, "INT64": np.int64}
MODEL_ROUTE = re.compile(r"/v2/models/(?P<name>[^/]+)(?:/versions/(?P<version>[^/]+))?(?P<action>/ready|/infer)?")


class HttpError(Exception):
    def __init__(self, status, message, headers=None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}


class ClientGone(Exception):
    """The client closed or stalled while sending its body: there is nobody to answer."""


def bad_request(message):
    return HttpError(400, message)


@dataclasses.dataclass(frozen=True)
class Config:
    model_dir: str
    name: str
    version: str
    port: int


@dataclasses.dataclass(frozen=True)
class LoadedModel:
    estimator: object
    metadata: dict
    n_features: int
    class_names: list


def log(message):
    # stdout is a pipe in a pod, block-buffered: flush so `kubectl logs` follows along.
    print(message, flush=True)


def read_config(env):
    text = env.get("PORT", "8080")
    if not text.isdecimal() or not 0 < int(text) < 65536:
        raise ValueError(f"PORT={text!r} must be a port number, 1 to 65535")
    return Config(
        model_dir=env.get("MODEL_DIR", "/mnt/models"),
        name=env.get("MEDOPS_MODEL_NAME", "model"),
        version=env.get("MEDOPS_MODEL_VERSION", ""),
        port=int(text),
    )


def load_model(model_dir):
    # Imported here, in the loader thread: scikit-learn takes a second to import, and liveness
    # must not wait for it.
    import joblib
    import sklearn

    with open(os.path.join(model_dir, "model.json"), encoding="utf-8") as f:
        metadata = json.load(f)
    n_features = metadata.get("n_features")
    class_names = metadata.get("class_names")
    if not isinstance(n_features, int) or n_features < 1:
        raise ValueError("model.json: n_features must be a positive integer")
    if not (isinstance(class_names, list) and len(class_names) == 2 and all(isinstance(c, str) for c in class_names)):
        raise ValueError("model.json: class_names must list 2 names")
    estimator = joblib.load(os.path.join(model_dir, "model.joblib"))
    if getattr(estimator, "n_features_in_", None) != n_features or len(getattr(estimator, "classes_", ())) != 2:
        raise ValueError(f"model.joblib is not the 2-class classifier of {n_features} features model.json describes")
    trained_with = metadata.get("sklearn_version")
    if trained_with != sklearn.__version__:
        log(f"warning: model trained with scikit-learn {trained_with}, serving with {sklearn.__version__}")
    return LoadedModel(estimator, metadata, n_features, class_names)


class ModelService:
    """The model behind the endpoints: loaded once, in the background, then read-only."""

    def __init__(self, config):
        self.config = config
        self.model = None
        self.load_error = "the model is still loading"

    def load(self):
        try:
            model = load_model(self.config.model_dir)
        except Exception as error:
            self.load_error = f"cannot load the model from {self.config.model_dir}: {error}"
            print(self.load_error, file=sys.stderr, flush=True)
            return
        self.model = model
        accuracy = model.metadata.get("accuracy")
        accuracy = f"{accuracy:.4f}" if is_number(accuracy) else "not recorded"
        log(f"ready: model {self.config.name!r} from MODEL_DIR={self.config.model_dir} "
            f"({model.metadata.get('model_type')}, held-out accuracy {accuracy} in model.json), "
            f"port {self.config.port}")

    def respond(self, method, path, body):
        """The (status, JSON value) for a request; raises HttpError for the error answers."""
        match = MODEL_ROUTE.fullmatch(path)
        if match:
            return self.respond_model(method, match, body)
        if path in ("/v2", "/v2/"):
            require_method(method, "GET")
            return 200, {"name": SERVER_NAME, "version": SERVER_VERSION, "extensions": []}
        if path == "/v2/health/live":
            require_method(method, "GET")
            return 200, {"live": True}
        if path == "/v2/health/ready":
            require_method(method, "GET")
            return self.readiness({})
        raise HttpError(404, f"no such endpoint: {path}")

    def respond_model(self, method, match, body):
        action = match["action"] or ""
        require_method(method, "POST" if action == "/infer" else "GET")
        version = match["version"]
        self.require_name(unquote(match["name"]), unquote(version) if version else None)
        if action == "/ready":
            return self.readiness({"name": self.config.name})
        model = self.model
        if model is None:
            raise HttpError(503, self.load_error)
        if action == "/infer":
            return 200, self.infer(model, body)
        return 200, self.metadata(model)

    def require_name(self, name, version):
        if name != self.config.name:
            raise HttpError(404, f"no model named {name!r}; this server serves {self.config.name!r}")
        if version is not None and version != self.config.version:
            raise HttpError(404, f"model {name!r} has no version {version!r}")

    def readiness(self, extra):
        if self.model is None:
            return 503, {**extra, "ready": False, "error": self.load_error}
        return 200, {**extra, "ready": True}

    def metadata(self, model):
        return {
            "name": self.config.name,
            "versions": [self.config.version] if self.config.version else [],
            "platform": "sklearn",
            "inputs": [{"name": "input-0", "datatype": "FP32", "shape": [-1, model.n_features]}],
            "outputs": [
                {"name": "output-0", "datatype": "INT64", "shape": [-1]},
                {"name": "probabilities", "datatype": "FP32", "shape": [-1, 2]},
            ],
        }

    def infer(self, model, body):
        request = parse_json(body)
        request_id = request.get("id", str(uuid.uuid4()))
        if not isinstance(request_id, str):
            raise bad_request("'id' must be a string")
        features = decode_input(request, model.n_features)
        probabilities = model.estimator.predict_proba(features)
        # Column i of predict_proba is classes_[i], and class_names is in the same order.
        best = probabilities.argmax(axis=1)
        rows = len(best)
        return {
            "model_name": self.config.name,
            "model_version": self.config.version,
            "id": request_id,
            "outputs": [
                {"name": "output-0", "shape": [rows], "datatype": "INT64",
                 "data": model.estimator.classes_[best].astype(np.int64).tolist()},
                {"name": "probabilities", "shape": [rows, 2], "datatype": "FP32",
                 "data": probabilities.astype(np.float32).ravel().tolist()},
                {"name": "label", "shape": [rows], "datatype": "BYTES",
                 "data": [model.class_names[i] for i in best]},
            ],
        }


def require_method(method, allowed):
    if method != allowed:
        raise HttpError(405, f"use {allowed} here, not {method}", {"Allow": allowed})


def parse_json(body):
    try:
        request = json.loads(body)
    except (ValueError, RecursionError) as error:
        raise bad_request(f"malformed JSON: {error}") from None
    if not isinstance(request, dict):
        raise bad_request("the request body must be a JSON object")
    return request


def decode_input(request, n_features):
    """The request's one input tensor as an [N, n_features] float64 array, checked."""
    if "inputs" not in request:
        raise bad_request("'inputs' is missing")
    inputs = request["inputs"]
    if not isinstance(inputs, list) or not inputs:
        raise bad_request("'inputs' must be a non-empty list")
    if len(inputs) != 1:
        raise bad_request(f"the model takes 1 input tensor, got {len(inputs)}")
    tensor = inputs[0]
    if not isinstance(tensor, dict) or not isinstance(tensor.get("name"), str):
        raise bad_request("an input must be an object with a string 'name', 'shape', 'datatype' and 'data'")
    name = tensor["name"]
    datatype = tensor.get("datatype")
    if datatype not in DATATYPES:
        raise bad_request(f"input {name!r}: unsupported datatype {datatype!r}; use one of {', '.join(DATATYPES)}")
    rows, columns = decode_shape(tensor.get("shape"), name, n_features)
    values = flatten(tensor.get("data"), name, columns)
    if len(values) != rows * columns:
        raise bad_request(f"input {name!r}: data has {len(values)} values, shape [{rows}, {columns}] needs {rows * columns}")
    check_values(values, datatype, name)
    return np.asarray(values, dtype=np.float64).reshape(rows, columns)


def decode_shape(shape, name, n_features):
    if not (isinstance(shape, list) and len(shape) == 2 and all(is_integer(d) for d in shape)):
        raise bad_request(f"input {name!r}: shape must be [N, {n_features}], got {json.dumps(shape)}")
    rows, columns = shape
    if columns != n_features:
        raise bad_request(f"input {name!r}: shape {shape} has {columns} features, the model takes {n_features}")
    if rows < 1:
        raise bad_request(f"input {name!r}: shape {shape} has no rows")
    return rows, columns


def flatten(data, name, columns):
    """The values of data given flat, or as a list of rows of `columns` values each."""
    if not isinstance(data, list):
        raise bad_request(f"input {name!r}: 'data' must be a list")
    if not data or not all(isinstance(row, list) for row in data):
        return data
    for i, row in enumerate(data):
        if len(row) != columns:
            raise bad_request(f"input {name!r}: row {i} of data has {len(row)} values, not {columns}")
    return [value for row in data for value in row]


def check_values(values, datatype, name):
    if datatype.startswith("INT"):
        limits = np.iinfo(DATATYPES[datatype])
        if not all(is_integer(v) and limits.min <= v <= limits.max for v in values):
            raise bad_request(f"input {name!r}: {datatype} data must be integers from {limits.min} to {limits.max}")
        return
    largest = float(np.finfo(DATATYPES[datatype]).max)
    # Python's json reads NaN and Infinity, which no tree can split on; both fail the comparison.
    if not all(is_number(v) and abs(v) <= largest for v in values):
        raise bad_request(f"input {name!r}: {datatype} data must be finite numbers within the type's range")


def is_integer(value):
    return isinstance(value, int) and not isinstance(value, bool)


def is_number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive: clients send many requests on one connection
    timeout = 60  # seconds a connection may stay idle or stall mid-request
    server_version = f"{SERVER_NAME}/{SERVER_VERSION}"

    def do_GET(self):
        self.handle_request("GET")

    def do_POST(self):
        self.handle_request("POST")

    def handle_request(self, method):
        started = time.monotonic()
        path = urlsplit(self.path).path
        headers = {}
        try:
            body = self.read_body(method)
            status, reply = self.server.service.respond(method, path, body)
        except HttpError as error:
            status, reply, headers = error.status, {"error": error.message}, error.headers
        except ClientGone as error:
            self.close_connection = True
            log(f"{method} {path} aborted: {error}")
            return
        except Exception as error:
            traceback.print_exc()
            status, reply = 500, {"error": f"internal error: {type(error).__name__}: {error}"}
        self.send_json(status, reply, headers)
        log(f"{method} {path} {status} {(time.monotonic() - started) * 1000:.1f}ms")

    def read_body(self, method):
        text = self.headers.get("Content-Length")
        if text is None and "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            return self.read_chunked()
        if text is None:
            if method == "POST":
                # Neither a length nor chunks: the body's end is unknown.
                self.close_connection = True
                raise HttpError(411, "Content-Length (or Transfer-Encoding: chunked) is required")
            return b""
        if not text.isdecimal():
            self.close_connection = True
            raise bad_request(f"bad Content-Length {text!r}")
        length = int(text)
        if length > MAX_BODY:
            self.discard(length)
            raise HttpError(413, f"the body has {length} bytes, more than the limit of {MAX_BODY}")
        return self.receive(length)

    def read_chunked(self):
        """A chunked body (what .NET's and Go's clients send for a streamed JSON body), up to MAX_BODY."""
        body = bytearray()
        while True:
            size_line = self.rfile.readline(64)
            try:
                size = int(size_line.split(b";")[0].strip(), 16)
            except ValueError:
                self.close_connection = True
                raise bad_request(f"bad chunk size {size_line[:20]!r}") from None
            if size == 0:
                while self.rfile.readline(1024).strip():
                    pass  # trailers
                return bytes(body)
            if len(body) + size > MAX_BODY:
                self.close_connection = True
                raise HttpError(413, f"the body has more than the limit of {MAX_BODY} bytes")
            body += self.receive(size)
            self.receive(2)  # the CRLF after each chunk

    def discard(self, length):
        if length > DISCARD_LIMIT:
            self.close_connection = True
            return
        while length > 0:
            chunk = self.receive(min(length, 1 << 16))
            if not chunk:
                break
            length -= len(chunk)

    def receive(self, length):
        try:
            return self.rfile.read(length)
        except OSError as error:
            raise ClientGone(error) from None

    def send_json(self, status, reply, headers):
        data = json.dumps(reply).encode()
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            for key, value in headers.items():
                self.send_header(key, value)
            if self.close_connection:
                self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(data)
        except OSError:
            self.close_connection = True

    def log_request(self, code="-", size="-"):
        """Silenced: handle_request logs each request, with its duration."""


class Server(ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        # A client that resets its connection is routine (curl does after an error answer);
        # anything else still gets socketserver's traceback.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


def main():
    try:
        config = read_config(os.environ)
    except ValueError as error:
        print(f"bad configuration: {error}", file=sys.stderr)
        return 2
    service = ModelService(config)
    try:
        server = Server(("0.0.0.0", config.port), Handler)
    except OSError as error:
        print(f"cannot listen on 0.0.0.0:{config.port}: {error.strerror}", file=sys.stderr)
        return 1
    server.service = service
    received = []

    def stop(signum, frame):
        received.append(signal.Signals(signum).name)
        # shutdown() waits for serve_forever() to return, and that runs in this (the main) thread.
        threading.Thread(target=server.shutdown).start()

    # As PID 1 of a container the process ignores a signal it has no handler for, and the
    # kubelet would wait out the whole grace period before killing it.
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    threading.Thread(target=service.load, name="model-loader", daemon=True).start()
    log(f"{SERVER_NAME} {SERVER_VERSION} listening on 0.0.0.0:{config.port}, "
        f"loading model {config.name!r} from MODEL_DIR={config.model_dir}")
    server.serve_forever()
    server.server_close()
    log(f"{', '.join(received)}: stopped")
    return 0


if __name__ == "__main__":
    sys.exit(main())
