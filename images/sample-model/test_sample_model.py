"""Tests of train.py, serve.py and predict.py, each run as a subprocess, the way a pod runs it.

Run with Debian's python3 and python3-sklearn:
  /usr/bin/python3 -m unittest discover -s images/sample-model -p 'test_*.py'
"""

import http.client
import json
import os
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time
import unittest

import joblib
import numpy as np
from sklearn.datasets import load_breast_cancer

import predict

HERE = os.path.dirname(os.path.abspath(__file__))
# Every setting the scripts read: the tests give each run exactly the ones it needs.
SETTINGS = (
    "WORLD_SIZE", "RANK", "MASTER_ADDR", "MASTER_PORT", "MEDOPS_DATA_DIR", "MEDOPS_OUTPUT_DIR",
    "MEDOPS_SAMPLE_FAIL", "MEDOPS_SAMPLE_SLEEP", "TERMINATION_LOG",
    "MODEL_DIR", "MEDOPS_MODEL_NAME", "MEDOPS_MODEL_VERSION", "PORT",
)
NAME = "breast-cancer"
VERSION = "1.0.0"
MODEL_DIR = None  # trained once by setUpModule


def environment(**settings):
    env = {key: value for key, value in os.environ.items() if key not in SETTINGS}
    env.update(settings)
    return env


def command(script, *args):
    return [sys.executable, os.path.join(HERE, script), *args]


def run_script(script, *args, **settings):
    return subprocess.run(command(script, *args), env=environment(**settings),
                          capture_output=True, text=True, timeout=120)


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def wait_until(condition, timeout, message):
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(message)
        time.sleep(0.05)


def setUpModule():
    global MODEL_DIR
    MODEL_DIR = tempfile.mkdtemp(prefix="medops-model-")
    result = run_script("train.py", MEDOPS_OUTPUT_DIR=MODEL_DIR)
    if result.returncode != 0:
        raise RuntimeError(f"train.py failed:\n{result.stdout}\n{result.stderr}")


def tearDownModule():
    shutil.rmtree(MODEL_DIR, ignore_errors=True)


class TrainTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="medops-train-")
        self.addCleanup(shutil.rmtree, self.tmp)
        self.termination_log = os.path.join(self.tmp, "termination-log")
        open(self.termination_log, "w").close()

    def train(self, output, **settings):
        return run_script("train.py", MEDOPS_OUTPUT_DIR=output, TERMINATION_LOG=self.termination_log, **settings)

    def test_rank_0_writes_the_model_and_its_metadata(self):
        output = os.path.join(self.tmp, "claim", "breast-cancer", "1")
        result = self.train(output, WORLD_SIZE="2", RANK="0", MEDOPS_DATA_DIR=self.tmp)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(sorted(os.listdir(output)), ["model.joblib", "model.json"])
        metadata = json.loads(read(os.path.join(output, "model.json")))
        self.assertEqual(metadata["framework"], "sklearn")
        self.assertRegex(metadata["sklearn_version"], r"^\d+\.\d+")
        self.assertEqual(metadata["dataset"], "breast_cancer")
        self.assertEqual(metadata["class_names"], ["malignant", "benign"])
        self.assertEqual(metadata["n_features"], 30)
        self.assertEqual(len(metadata["feature_names"]), 30)
        self.assertEqual(metadata["feature_names"][0], "mean radius")
        self.assertGreater(metadata["accuracy"], 0.9)
        self.assertRegex(metadata["trained_at"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
        model = joblib.load(os.path.join(output, "model.joblib"))
        self.assertEqual(model.predict([predict.SAMPLE]).tolist(), [1])
        self.assertIn("held-out accuracy", result.stdout)
        self.assertIn("30 features", result.stdout)
        self.assertEqual(read(self.termination_log), "", "written on failure only")

    def test_the_same_inputs_give_the_same_model(self):
        first, second = os.path.join(self.tmp, "first"), os.path.join(self.tmp, "second")
        for output in (first, second):
            self.assertEqual(self.train(output).returncode, 0)
        data = load_breast_cancer().data
        probabilities = [joblib.load(os.path.join(d, "model.joblib")).predict_proba(data) for d in (first, second)]
        np.testing.assert_array_equal(*probabilities)
        metadata = [json.loads(read(os.path.join(d, "model.json"))) for d in (first, second)]
        for m in metadata:
            del m["trained_at"]
        self.assertEqual(*metadata)

    def test_other_ranks_train_but_write_nothing(self):
        result = self.train(self.tmp, WORLD_SIZE="3", RANK="2")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("held-out accuracy", result.stdout)
        self.assertEqual(sorted(os.listdir(self.tmp)), ["termination-log"])

    def test_injected_failure_exits_1_and_writes_nothing(self):
        output = os.path.join(self.tmp, "output")
        started = time.monotonic()
        result = self.train(output, MEDOPS_SAMPLE_FAIL="1", MEDOPS_SAMPLE_SLEEP="1")
        self.assertEqual(result.returncode, 1)
        self.assertGreaterEqual(time.monotonic() - started, 1, "sleeps first")
        self.assertIn("MEDOPS_SAMPLE_FAIL=1", result.stderr)
        self.assertFalse(os.path.exists(output))
        self.assertIn("MEDOPS_SAMPLE_FAIL=1: failing on purpose", read(self.termination_log))

    def test_bad_configuration_exits_2_with_one_line(self):
        not_a_folder = os.path.join(self.tmp, "termination-log", "output")
        cases = {
            "rank beyond the workers": ({"WORLD_SIZE": "2", "RANK": "2"}, "RANK=2 must be below WORLD_SIZE=2"),
            "world size not a number": ({"WORLD_SIZE": "two"}, "WORLD_SIZE='two' is not an integer"),
            "negative sleep": ({"MEDOPS_SAMPLE_SLEEP": "-1"}, "MEDOPS_SAMPLE_SLEEP='-1' must be"),
            "output not creatable": ({"MEDOPS_OUTPUT_DIR": not_a_folder}, "is not a writable folder"),
        }
        for case, (settings, message) in cases.items():
            with self.subTest(case):
                settings.setdefault("MEDOPS_OUTPUT_DIR", os.path.join(self.tmp, "output"))
                result = run_script("train.py", **settings)
                self.assertEqual(result.returncode, 2)
                self.assertEqual(len(result.stderr.splitlines()), 1, result.stderr)
                self.assertIn(message, result.stderr)
                self.assertFalse(os.path.exists(os.path.join(self.tmp, "output")))

    def test_sigterm_during_the_sleep_stops_it_promptly(self):
        output = os.path.join(self.tmp, "output")
        stdout = os.path.join(self.tmp, "stdout")
        with open(stdout, "w") as out:
            worker = subprocess.Popen(command("train.py"), stdout=out, stderr=subprocess.PIPE, text=True, env=environment(
                MEDOPS_OUTPUT_DIR=output, MEDOPS_SAMPLE_SLEEP="60", TERMINATION_LOG=self.termination_log))
        self.addCleanup(worker.wait)
        self.addCleanup(worker.kill)
        wait_until(lambda: "sleeping 60s" in read(stdout), 30, "train.py never started its sleep")
        worker.send_signal(signal.SIGTERM)
        self.assertEqual(worker.wait(timeout=5), 143)
        self.assertIn("SIGTERM", worker.stderr.read())
        worker.stderr.close()
        self.assertFalse(os.path.exists(output))
        self.assertEqual(read(self.termination_log), "stopped by SIGTERM\n")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """serve.py as a subprocess on a free loopback port, its stdout in a file."""

    def __init__(self, model_dir, folder):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = os.path.join(folder, f"serve-{self.port}.log")
        with open(self.log_path, "w") as out:
            self.process = subprocess.Popen(command("serve.py"), stdout=out, stderr=subprocess.STDOUT, env=environment(
                MODEL_DIR=model_dir, MEDOPS_MODEL_NAME=NAME, MEDOPS_MODEL_VERSION=VERSION, PORT=str(self.port)))

    def request(self, method, path, body=None, headers=None):
        """(status, JSON reply, response headers); body is a JSON value or raw bytes."""
        if body is not None and not isinstance(body, bytes):
            body = json.dumps(body).encode()
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            connection.request(method, path, body, headers or {})
            response = connection.getresponse()
            return response.status, json.loads(response.read()), response.headers
        finally:
            connection.close()

    def status(self, path):
        try:
            return self.request("GET", path)[0]
        except OSError:
            return None

    def wait_for(self, path, status, timeout=30):
        wait_until(lambda: self.status(path) == status, timeout, f"{path} never answered {status}")

    def log(self):
        return read(self.log_path)

    def stop(self):
        self.process.terminate()
        return self.process.wait(timeout=10)

    def kill(self):
        self.process.kill()
        self.process.wait()


def infer_request(data, shape, datatype="FP64", **extra):
    return {**extra, "inputs": [{"name": "input-0", "shape": shape, "datatype": datatype, "data": data}]}


INFER = f"/v2/models/{NAME}/infer"


class ServeTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="medops-serve-")
        cls.server = Server(MODEL_DIR, cls.tmp)
        cls.server.wait_for("/v2/health/ready", 200)

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def test_live_and_ready(self):
        self.assertEqual(self.server.request("GET", "/v2/health/live")[:2], (200, {"live": True}))
        self.assertEqual(self.server.request("GET", "/v2/health/ready")[:2], (200, {"ready": True}))
        status, reply, headers = self.server.request("GET", f"/v2/models/{NAME}/ready")
        self.assertEqual((status, reply), (200, {"name": NAME, "ready": True}))
        self.assertEqual(headers["Content-Type"], "application/json")

    def test_server_metadata(self):
        self.assertEqual(self.server.request("GET", "/v2")[:2],
                         (200, {"name": "medops-sample-server", "version": "0.1.0", "extensions": []}))

    def test_model_metadata(self):
        for path in (f"/v2/models/{NAME}", f"/v2/models/{NAME}/versions/{VERSION}"):
            with self.subTest(path):
                status, reply, _ = self.server.request("GET", path)
                self.assertEqual(status, 200)
                self.assertEqual(reply["name"], NAME)
                self.assertEqual(reply["versions"], [VERSION])
                self.assertEqual(reply["platform"], "sklearn")
                self.assertEqual(reply["inputs"], [{"name": "input-0", "datatype": "FP32", "shape": [-1, 30]}])
                self.assertEqual([o["name"] for o in reply["outputs"]], ["output-0", "probabilities"])

    def test_infer_one_case(self):
        status, reply, _ = self.server.request("POST", INFER, infer_request(predict.SAMPLE, [1, 30], id="case-19"))
        self.assertEqual(status, 200, reply)
        self.assertEqual((reply["model_name"], reply["model_version"], reply["id"]), (NAME, VERSION, "case-19"))
        outputs = {o["name"]: o for o in reply["outputs"]}
        self.assertEqual(outputs["output-0"], {"name": "output-0", "shape": [1], "datatype": "INT64", "data": [1]})
        self.assertEqual(outputs["label"], {"name": "label", "shape": [1], "datatype": "BYTES", "data": ["benign"]})
        probabilities = outputs["probabilities"]
        self.assertEqual((probabilities["shape"], probabilities["datatype"]), ([1, 2], "FP32"))
        self.assertAlmostEqual(sum(probabilities["data"]), 1, places=5)
        self.assertGreater(probabilities["data"][1], 0.5)

    def test_infer_a_batch_matches_the_model(self):
        rows = load_breast_cancer().data[:8]
        expected = joblib.load(os.path.join(MODEL_DIR, "model.joblib")).predict(rows).tolist()
        requests = {
            "nested FP64": infer_request(rows.tolist(), [8, 30]),
            "flat FP32": infer_request(rows.ravel().tolist(), [8, 30], "FP32"),
            "versioned path": infer_request(rows.tolist(), [8, 30]),
        }
        for case, request in requests.items():
            with self.subTest(case):
                path = f"/v2/models/{NAME}/versions/{VERSION}/infer" if case == "versioned path" else INFER
                status, reply, _ = self.server.request("POST", path, request)
                self.assertEqual(status, 200, reply)
                outputs = {o["name"]: o["data"] for o in reply["outputs"]}
                self.assertEqual(outputs["output-0"], expected)
                self.assertEqual(outputs["label"], [["malignant", "benign"][c] for c in expected])
                sums = np.asarray(outputs["probabilities"]).reshape(8, 2).sum(axis=1)
                np.testing.assert_allclose(sums, 1, atol=1e-5)
                self.assertRegex(reply["id"], r"^[0-9a-f-]{36}$", "a generated id when none is given")

    def test_infer_integer_data(self):
        rounded = [round(v) for v in predict.SAMPLE]
        for datatype in ("INT64", "INT32"):
            with self.subTest(datatype):
                status, reply, _ = self.server.request("POST", INFER, infer_request(rounded, [1, 30], datatype))
                self.assertEqual(status, 200, reply)

    def test_bad_requests_answer_400_with_the_reason(self):
        row = predict.SAMPLE
        cases = {
            "malformed JSON": (b'{"inputs": [', "malformed JSON"),
            "not an object": ([1, 2], "must be a JSON object"),
            "no inputs": ({"id": "x"}, "'inputs' is missing"),
            "empty inputs": ({"inputs": []}, "'inputs' must be a non-empty list"),
            "two inputs": ({"inputs": [infer_request(row, [1, 30])["inputs"][0]] * 2}, "takes 1 input tensor, got 2"),
            "input without a name": ({"inputs": [{"shape": [1, 30], "datatype": "FP64", "data": row}]}, "string 'name'"),
            "wrong feature count": (infer_request(row[:29], [1, 29]), "has 29 features, the model takes 30"),
            "one-dimensional shape": (infer_request(row, [30]), "shape must be [N, 30], got [30]"),
            "no rows": (infer_request([], [0, 30]), "has no rows"),
            "data shorter than the shape": (infer_request(row[:29], [1, 30]), "data has 29 values, shape [1, 30] needs 30"),
            "data longer than the shape": (infer_request(row * 2, [1, 30]), "data has 60 values"),
            "ragged rows": (infer_request([row[:29], row + [1.0]], [2, 30]), "row 0 of data has 29 values, not 30"),
            "unknown datatype": (infer_request(row, [1, 30], "BYTES"), "unsupported datatype 'BYTES'"),
            "strings as data": (infer_request(["1"] * 30, [1, 30]), "FP64 data must be finite numbers"),
            "NaN": (b'{"inputs": [{"name": "x", "shape": [1, 30], "datatype": "FP64", "data": [NaN' + b", 1" * 29 + b"]}]}",
                    "FP64 data must be finite numbers"),
            "FP32 overflow": (infer_request([1e39] * 30, [1, 30], "FP32"), "FP32 data must be finite numbers"),
            "fractions as INT64": (infer_request(row, [1, 30], "INT64"), "INT64 data must be integers"),
            "id not a string": (infer_request(row, [1, 30], id=7), "'id' must be a string"),
        }
        for case, (body, message) in cases.items():
            with self.subTest(case):
                status, reply, _ = self.server.request("POST", INFER, body)
                self.assertEqual(status, 400, reply)
                self.assertIn(message, reply["error"])

    def test_unknown_models_and_paths_answer_404(self):
        cases = {
            ("GET", "/v2/models/other"): "no model named 'other'",
            ("GET", "/v2/models/other/ready"): "no model named 'other'",
            ("POST", "/v2/models/other/infer"): "no model named 'other'",
            ("POST", f"/v2/models/{NAME}/versions/2.0.0/infer"): "has no version '2.0.0'",
            ("GET", "/v2/nothing"): "no such endpoint",
        }
        for (method, path), message in cases.items():
            with self.subTest(path):
                body = infer_request(predict.SAMPLE, [1, 30]) if method == "POST" else None
                status, reply, _ = self.server.request(method, path, body)
                self.assertEqual(status, 404, reply)
                self.assertIn(message, reply["error"])

    def test_wrong_method_answers_405(self):
        status, reply, headers = self.server.request("GET", INFER)
        self.assertEqual(status, 405)
        self.assertEqual(headers["Allow"], "POST")
        self.assertIn("use POST", reply["error"])

    def test_post_without_content_length_answers_411(self):
        connection = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=10)
        self.addCleanup(connection.close)
        connection.putrequest("POST", INFER)
        connection.endheaders()
        response = connection.getresponse()
        self.assertEqual(response.status, 411)
        self.assertIn("Content-Length (or Transfer-Encoding: chunked) is required", json.loads(response.read())["error"])

    def test_a_chunked_body_is_read(self):
        body = json.dumps({"inputs": [{"name": "input-0", "shape": [1, 30], "datatype": "FP64", "data": predict.SAMPLE}]}).encode()
        connection = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=10)
        self.addCleanup(connection.close)
        connection.request("POST", INFER, body=iter([body[:100], body[100:]]), headers={"Content-Type": "application/json"},
                           encode_chunked=True)
        response = connection.getresponse()
        self.assertEqual(response.status, 200)
        outputs = {o["name"]: o for o in json.loads(response.read())["outputs"]}
        self.assertEqual(outputs["label"]["data"], ["benign"])

    def test_body_over_1_mib_answers_413(self):
        status, reply, _ = self.server.request("POST", INFER, b" " * ((1 << 20) + 1))
        self.assertEqual(status, 413)
        self.assertIn("more than the limit", reply["error"])
        # A huge declared length is not even read: the answer comes at once.
        connection = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=10)
        self.addCleanup(connection.close)
        connection.putrequest("POST", INFER)
        connection.putheader("Content-Length", str(1 << 30))
        connection.endheaders()
        self.assertEqual(connection.getresponse().status, 413)

    def test_a_client_resetting_its_connection_logs_no_traceback(self):
        with socket.create_connection(("127.0.0.1", self.server.port), timeout=10) as client:
            client.sendall(b"GET /v2/health/live HTTP/1.1\r\nHost: test\r\n\r\n")
            reply = b""
            while not reply.endswith(b'{"live": true}'):  # the whole answer, so the server waits again
                reply += client.recv(4096)
            # Linger 0: close() sends a reset while the server waits for the next request.
            client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        time.sleep(0.3)
        self.assertNotIn("Traceback", self.server.log())

    def test_logs_the_start_and_each_request(self):
        self.server.request("GET", "/v2/health/live")
        log = self.server.log()
        self.assertIn(f"listening on 0.0.0.0:{self.server.port}", log)
        accuracy = json.loads(read(os.path.join(MODEL_DIR, "model.json")))["accuracy"]
        self.assertIn(f"ready: model '{NAME}' from MODEL_DIR={MODEL_DIR}", log)
        self.assertIn(f"held-out accuracy {accuracy:.4f}", log)
        self.assertIn(f"port {self.server.port}", log)
        self.assertRegex(log, r"(?m)^GET /v2/health/live 200 \d+\.\dms$")

    def test_predict_py(self):
        result = run_script("predict.py", self.server.url, NAME)
        self.assertEqual(result.returncode, 0, result.stderr)
        answer, raw = result.stdout.split("\n", 1)
        self.assertRegex(answer, rf"^{NAME}: benign \(class 1\), probability (0\.[5-9]\d*|1\.000);")
        self.assertEqual(json.loads(raw)["model_name"], NAME)

    def test_predict_py_errors(self):
        result = run_script("predict.py", self.server.url, "other")
        self.assertEqual(result.returncode, 1)
        self.assertIn("HTTP 404: no model named 'other'", result.stderr)
        result = run_script("predict.py", f"http://127.0.0.1:{free_port()}", NAME)
        self.assertEqual(result.returncode, 1)
        self.assertIn("Connection refused", result.stderr)
        self.assertEqual(run_script("predict.py").returncode, 2)

    def test_predict_py_sample_is_a_real_case(self):
        data = load_breast_cancer()
        self.assertEqual(predict.SAMPLE, data.data[19].tolist())
        self.assertEqual(data.target_names[data.target[19]], predict.SAMPLE_DIAGNOSIS)


class ServerLifecycleTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="medops-lifecycle-")
        self.addCleanup(shutil.rmtree, self.tmp)

    def start(self, model_dir):
        server = Server(model_dir, self.tmp)
        self.addCleanup(server.kill)
        return server

    def test_without_a_model_it_lives_but_is_never_ready(self):
        server = self.start(self.tmp)
        server.wait_for("/v2/health/live", 200)
        wait_until(lambda: "cannot load" in server.log(), 30, "serve.py never reported the failed load")
        status, reply, _ = server.request("GET", "/v2/health/ready")
        self.assertEqual(status, 503)
        self.assertFalse(reply["ready"])
        self.assertIn("model.json", reply["error"])
        for method, path in (("GET", f"/v2/models/{NAME}"), ("GET", f"/v2/models/{NAME}/ready"), ("POST", INFER)):
            with self.subTest(path):
                body = infer_request(predict.SAMPLE, [1, 30]) if method == "POST" else None
                status, reply, _ = server.request(method, path, body)
                self.assertEqual(status, 503)
                self.assertIn("cannot load the model", reply["error"])

    def test_sigterm_stops_it_within_5_seconds(self):
        server = self.start(MODEL_DIR)
        server.wait_for("/v2/health/ready", 200)
        # An idle keep-alive connection must not hold the shutdown up.
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
        self.addCleanup(connection.close)
        connection.request("GET", "/v2/health/live")
        connection.getresponse().read()
        started = time.monotonic()
        server.process.send_signal(signal.SIGTERM)
        self.assertEqual(server.process.wait(timeout=5), 0)
        self.assertLess(time.monotonic() - started, 5)
        self.assertIn("SIGTERM: stopped", server.log())

    def test_bad_port_exits_2(self):
        result = run_script("serve.py", MODEL_DIR=MODEL_DIR, PORT="http")
        self.assertEqual(result.returncode, 2)
        self.assertIn("PORT='http' must be a port number", result.stderr)


if __name__ == "__main__":
    unittest.main()
