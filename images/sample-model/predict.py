#!/usr/bin/env python3
"""Sends one case to a MedOps sample model server (serve.py) and prints its answer.

Usage: predict.py URL [MODEL]     for example: predict.py http://10.96.0.15:8080 breast-cancer

MODEL defaults to "model", serve.py's default name. The case is embedded, so this needs only the
Python standard library, not scikit-learn. Exits 1 on an HTTP error, a timeout (10 s) or an
unexpected reply, 2 on bad usage.
"""

import json
import sys
import urllib.error
import urllib.request
from urllib.parse import quote

TIMEOUT_SECONDS = 10

# Case 19 of scikit-learn's load_breast_cancer(), the first benign one, its 30 features in the
# data set's order (mean radius ... worst fractal dimension).
SAMPLE = [
    13.54, 14.36, 87.46, 566.3, 0.09779, 0.08129, 0.06664, 0.04781, 0.1885, 0.05766,
    0.2699, 0.7886, 2.058, 23.56, 0.008462, 0.0146, 0.02387, 0.01315, 0.0198, 0.0023,
    15.11, 19.26, 99.7, 711.2, 0.144, 0.1773, 0.239, 0.1288, 0.2977, 0.07259,
]
SAMPLE_DIAGNOSIS = "benign"


def main(argv):
    if len(argv) not in (2, 3):
        print("usage: predict.py URL [MODEL]   e.g. predict.py http://127.0.0.1:8080 model", file=sys.stderr)
        return 2
    model = argv[2] if len(argv) == 3 else "model"
    url = f"{argv[1].rstrip('/')}/v2/models/{quote(model, safe='')}/infer"
    try:
        reply = post(url, {
            "id": "predict.py",
            "inputs": [{"name": "input-0", "shape": [1, len(SAMPLE)], "datatype": "FP64", "data": SAMPLE}],
        })
    except urllib.error.HTTPError as error:
        return complain(f"{url}: HTTP {error.code}: {error_message(error)}")
    except urllib.error.URLError as error:
        return complain(f"{url}: {error.reason}")
    except OSError as error:  # a timeout or a reset while reading the reply
        return complain(f"{url}: {error}")
    except ValueError as error:
        return complain(f"{url}: the reply is not JSON: {error}")
    try:
        label, predicted, probability = read_answer(reply)
    except (KeyError, IndexError, TypeError, ValueError) as error:
        return complain(f"{url}: unexpected reply ({type(error).__name__}: {error}): {json.dumps(reply)}")
    print(f"{model}: {label} (class {predicted}), probability {probability:.3f}; "
          f"the data set says {SAMPLE_DIAGNOSIS}")
    print(json.dumps(reply, indent=2))
    return 0


def post(url, body):
    request = urllib.request.Request(
        url, data=json.dumps(body).encode(), method="POST", headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
        return json.load(response)


def error_message(error):
    """The server's {"error": ...} message, or the start of whatever else it answered."""
    text = error.read().decode("utf-8", "replace")
    try:
        return json.loads(text)["error"]
    except (ValueError, KeyError, TypeError):
        return text[:200] or error.reason


def read_answer(reply):
    outputs = {output["name"]: output["data"] for output in reply["outputs"]}
    predicted = int(outputs["output-0"][0])
    # One row: the probabilities are [P(class 0), P(class 1)].
    return outputs["label"][0], predicted, float(outputs["probabilities"][predicted])


def complain(message):
    print(f"predict.py: {message}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
