#!/usr/bin/env python3
"""MedOps sample TrainingJob worker: a random forest on the Wisconsin breast cancer data set.

Trains scikit-learn's RandomForestClassifier on load_breast_cancer() (569 cases, 30 features,
bundled with scikit-learn, so nothing is downloaded) and writes model.joblib and model.json into
MEDOPS_OUTPUT_DIR, the files serve.py loads.

Environment (the operator sets all of these on every worker):
  WORLD_SIZE         number of workers (default 1)
  RANK               this worker, 0..WORLD_SIZE-1 (default 0)
  MASTER_ADDR, MASTER_PORT
                     worker 0's address; only printed, the workers need no networking
  MEDOPS_DATA_DIR    the dataset claim (default /data); only inspected: the data set is bundled
  MEDOPS_OUTPUT_DIR  where rank 0 writes the model (default /output); created when missing

Every rank trains the same model on the whole training split (same seed, so the same trees);
only rank 0 writes it, the others exit 0 after evaluating theirs. A job of many workers thus
runs like a data-parallel one without any traffic between the pods, and the model does not
depend on WORLD_SIZE.

Failure injection, for testing the operator:
  MEDOPS_SAMPLE_SLEEP=<seconds>  sleep that long before training (deadlines, suspend)
  MEDOPS_SAMPLE_FAIL=1           then print the reason to stderr and exit 1, writing nothing

Exit codes: 0 trained (and, on rank 0, written); 1 failed (injected, or an exception, with its
traceback); 2 bad configuration; 143 stopped by SIGTERM. On failure the one-line reason also goes
to /dev/termination-log (TERMINATION_LOG overrides the path) when that file exists, so that
`kubectl describe pod` shows it.
"""

import dataclasses
import datetime
import json
import math
import os
import signal
import sys
import tempfile
import time

import joblib
import sklearn
from sklearn.datasets import load_breast_cancer
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import train_test_split

SEED = 42
N_ESTIMATORS = 50
TEST_SIZE = 0.2
DATASET = "breast_cancer"

EXIT_FAILED = 1
EXIT_CONFIG = 2
EXIT_SIGTERM = 128 + signal.SIGTERM


class ConfigError(Exception):
    """A setting that makes training pointless to attempt (exit 2)."""


class InjectedFailure(Exception):
    """The failure MEDOPS_SAMPLE_FAIL asks for (exit 1)."""


class Terminated(BaseException):
    """SIGTERM arrived. A BaseException, like KeyboardInterrupt, so no library code swallows it."""


@dataclasses.dataclass(frozen=True)
class Config:
    world_size: int
    rank: int
    master: str
    data_dir: str
    output_dir: str
    sleep_seconds: float
    fail: bool


def main():
    # As PID 1 of a container the process ignores a signal it has no handler for, and the
    # kubelet would wait out the whole grace period before killing it.
    signal.signal(signal.SIGTERM, on_sigterm)
    try:
        run(read_config(os.environ))
    except ConfigError as error:
        return fail(EXIT_CONFIG, f"bad configuration: {error}")
    except InjectedFailure as error:
        return fail(EXIT_FAILED, str(error))
    except Terminated:
        return fail(EXIT_SIGTERM, "stopped by SIGTERM")
    except Exception as error:
        # One line, as the termination message is shown; the traceback still goes to stderr.
        write_termination_log(f"training failed: {type(error).__name__}: {' '.join(str(error).split())}")
        raise
    return 0


def on_sigterm(signum, frame):
    raise Terminated()


def run(config):
    log = make_logger(config)
    log(f"MedOps sample training: RandomForestClassifier on {DATASET}, scikit-learn {sklearn.__version__}")
    log(f"WORLD_SIZE={config.world_size} RANK={config.rank} MASTER={config.master} "
        "(no rendezvous: every rank trains on its own)")
    log(describe_data_dir(config.data_dir))
    if config.sleep_seconds > 0:
        log(f"sleeping {config.sleep_seconds:g}s (MEDOPS_SAMPLE_SLEEP)")
        time.sleep(config.sleep_seconds)
    if config.fail:
        raise InjectedFailure("MEDOPS_SAMPLE_FAIL=1: failing on purpose before writing anything")
    if config.rank == 0:
        # Before training, so a claim the pod cannot write fails in a second, not after the work.
        prepare_output_dir(config.output_dir)
        log(f"MEDOPS_OUTPUT_DIR={config.output_dir}: writable")

    started = time.monotonic()
    model, metadata = train(log, config)
    if config.rank == 0:
        write_model(config.output_dir, model, metadata)
        log(f"wrote {os.path.join(config.output_dir, 'model.joblib')} and model.json")
    else:
        log("not writing the model: rank 0 does")
    log(f"done in {time.monotonic() - started:.1f}s")


def read_config(env):
    world_size = int_setting(env, "WORLD_SIZE", "1", minimum=1)
    rank = int_setting(env, "RANK", "0", minimum=0)
    if rank >= world_size:
        raise ConfigError(f"RANK={rank} must be below WORLD_SIZE={world_size}")
    output_dir = env.get("MEDOPS_OUTPUT_DIR", "/output")
    if not output_dir:
        raise ConfigError("MEDOPS_OUTPUT_DIR is empty")
    fail = env.get("MEDOPS_SAMPLE_FAIL", "")
    if fail not in ("", "0", "1"):
        raise ConfigError(f"MEDOPS_SAMPLE_FAIL={fail!r} must be 0 or 1")
    return Config(
        world_size=world_size,
        rank=rank,
        master=f"{env['MASTER_ADDR']}:{env.get('MASTER_PORT', '')}" if env.get("MASTER_ADDR") else "(none)",
        data_dir=env.get("MEDOPS_DATA_DIR", "/data"),
        output_dir=output_dir,
        sleep_seconds=sleep_setting(env),
        fail=fail == "1",
    )


def int_setting(env, name, default, minimum):
    text = env.get(name, default)
    try:
        value = int(text)
    except ValueError:
        raise ConfigError(f"{name}={text!r} is not an integer") from None
    if value < minimum:
        raise ConfigError(f"{name}={value} must be at least {minimum}")
    return value


def sleep_setting(env):
    text = env.get("MEDOPS_SAMPLE_SLEEP", "0")
    try:
        seconds = float(text)
    except ValueError:
        raise ConfigError(f"MEDOPS_SAMPLE_SLEEP={text!r} is not a number of seconds") from None
    if not math.isfinite(seconds) or seconds < 0:
        raise ConfigError(f"MEDOPS_SAMPLE_SLEEP={text!r} must be a finite number >= 0")
    return seconds


def make_logger(config):
    prefix = f"[rank {config.rank}/{config.world_size}]"

    def log(message):
        # stdout is a pipe in a pod, block-buffered: flush so `kubectl logs` follows along.
        print(f"{prefix} {message}", flush=True)

    return log


def describe_data_dir(data_dir):
    try:
        entries = len(os.listdir(data_dir))
    except OSError as error:
        return f"MEDOPS_DATA_DIR={data_dir}: not readable ({error.strerror}); not needed, the data set is bundled"
    return f"MEDOPS_DATA_DIR={data_dir}: {entries} entries; not used, the data set is bundled"


def prepare_output_dir(output_dir):
    """Creates the folder and proves it writable now, rather than after training."""
    try:
        os.makedirs(output_dir, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=output_dir, prefix=".write-probe-"):
            pass
    except OSError as error:
        raise ConfigError(f"MEDOPS_OUTPUT_DIR={output_dir} is not a writable folder: {error.strerror}") from None


def train(log, config):
    data = load_breast_cancer()
    counts = ", ".join(f"{name} {int((data.target == i).sum())}" for i, name in enumerate(data.target_names))
    log(f"data set {DATASET}: {data.data.shape[0]} cases, {data.data.shape[1]} features ({counts})")

    x_train, x_test, y_train, y_test = train_test_split(
        data.data, data.target, test_size=TEST_SIZE, random_state=SEED, stratify=data.target)
    log(f"split: {len(y_train)} for training, {len(y_test)} held out (stratified, seed {SEED})")

    log(f"fitting {N_ESTIMATORS} trees")
    started = time.monotonic()
    model = RandomForestClassifier(n_estimators=N_ESTIMATORS, random_state=SEED)
    model.fit(x_train, y_train)
    log(f"fitted in {time.monotonic() - started:.2f}s")

    correct = int((model.predict(x_test) == y_test).sum())
    accuracy = correct / len(y_test)
    log(f"held-out accuracy: {accuracy:.4f} ({correct}/{len(y_test)})")

    metadata = {
        "framework": "sklearn",
        "sklearn_version": sklearn.__version__,
        "model_type": type(model).__name__,
        "n_estimators": N_ESTIMATORS,
        "random_state": SEED,
        "dataset": DATASET,
        "dataset_description": "Wisconsin diagnostic breast cancer (sklearn.datasets.load_breast_cancer)",
        "feature_names": data.feature_names.tolist(),
        # In the order of the classes' values (0, 1), as the model's classes_ and predict_proba columns.
        "class_names": data.target_names.tolist(),
        "n_features": int(data.data.shape[1]),
        "n_train": len(y_train),
        "n_test": len(y_test),
        "accuracy": accuracy,
        "world_size": config.world_size,
        "trained_at": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    return model, metadata


def write_model(output_dir, model, metadata):
    # model.json goes last: once it is there, the model it describes is complete.
    write_atomically(os.path.join(output_dir, "model.joblib"), lambda f: joblib.dump(model, f))
    text = json.dumps(metadata, indent=2) + "\n"
    write_atomically(os.path.join(output_dir, "model.json"), lambda f: f.write(text.encode()))


def write_atomically(path, write):
    """Writes through a temp file in the same folder and os.replace: readers see all or nothing."""
    folder, name = os.path.split(path)
    fd, temp = tempfile.mkstemp(dir=folder, prefix=f".{name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            write(f)
            f.flush()
            # Without it a crash soon after the rename could leave an empty file under the name.
            os.fsync(f.fileno())
        # mkstemp makes 0600; the server may run as another user than whoever trained.
        os.chmod(temp, 0o644)
        os.replace(temp, path)
    except BaseException:
        os.unlink(temp)
        raise


def fail(code, reason):
    print(reason, file=sys.stderr, flush=True)
    write_termination_log(reason)
    return code


def write_termination_log(reason):
    path = os.environ.get("TERMINATION_LOG", "/dev/termination-log")
    # Only where the kubelet provides it: outside a pod, do not create files in /dev.
    if not os.path.exists(path):
        return
    try:
        with open(path, "w", encoding="utf-8") as f:
            f.write(reason + "\n")
    except OSError:
        pass


if __name__ == "__main__":
    sys.exit(main())
