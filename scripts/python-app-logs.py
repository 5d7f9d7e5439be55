#!/usr/bin/env python3
"""
Writes test/fixtures/python-app/logs/ as the seed's camera app writes its logs: through Python's own `logging`, with
monitoring.py's handlers and formats, real exceptions caught and logged with logger.exception(), ISSUE and
CONNECTION records as json.dumps writes them, and PERF records. Also writes expected.json: what the app logged, by
kind, for the test that analyses these logs (test/logs/analyze-python-app.test.ts) to compare against.

  python3 scripts/python-app-logs.py [OUTPUT_DIR]      (default test/fixtures/python-app)

Two hours of a box's life pass on a simulated clock, written in UTC, so the output does not depend on the time or the
time zone; it is the same on every run with the same Python (tracebacks name its files and this one by their paths,
and differ between versions: 3.11 added the ~~~^^^ lines).
"""

import json
import logging
import logging.handlers
import os
import random
import shutil
import sys
import time

START = 1_705_312_200.0  # 2024-01-15 09:50:00 UTC
SECONDS = 2 * 3600
STEP = 20
CAMERAS = ("camera_1", "camera_2", "camera_3")

MAIN_FORMAT = "%(asctime)s - %(name)s - %(levelname)s - %(message)s"
ERROR_FORMAT = "%(asctime)s - %(name)s - %(levelname)s - %(funcName)s:%(lineno)d - %(message)s"
PERF_FORMAT = "%(asctime)s - %(message)s"


class SimulatedClock(logging.Filter):
    """Stamps each record with the simulated time instead of the wall clock; the rest is logging's own."""

    now = START

    def filter(self, record):
        record.created = self.now
        record.msecs = (self.now - int(self.now)) * 1000
        return True


clock = SimulatedClock()
# What the app wrote, as it knows it: records per file, exceptions by class, ISSUE records by type (and how many of
# them errors.log has: those at ERROR and CRITICAL), CONNECTION records per service, PERF values per metric.
expected = {
    "files": {},
    "exceptions": {},
    "issues": {},
    "connections": {},
    "metrics": {},
    "plain_errors": [],
}


def count(table, key):
    table[key] = table.get(key, 0) + 1


class RecordCounter(logging.Filter):
    """Counts the records a handler writes (a handler's filters run once its level has let a record through)."""

    def __init__(self, name):
        super().__init__()
        self.file = name
        expected["files"][name] = {"records": 0}

    def filter(self, record):
        expected["files"][self.file]["records"] += 1
        return True


def handler(path, fmt, level, rotating):
    made = rotating(path)
    made.setLevel(level)
    formatter = logging.Formatter(fmt)
    formatter.converter = time.gmtime
    made.setFormatter(formatter)
    made.addFilter(clock)
    made.addFilter(RecordCounter(os.path.basename(path)))
    return made


def setup(logs):
    """monitoring.py's setup_logging: the main log, the error-only log, and the performance log apart."""
    logger = logging.getLogger("camera_system")
    logger.setLevel(logging.DEBUG)
    logger.propagate = False
    logger.addHandler(handler(os.path.join(logs, "camera_system.log"), MAIN_FORMAT, logging.INFO,
                              lambda path: logging.handlers.RotatingFileHandler(path, maxBytes=50 * 1024 * 1024, backupCount=5)))
    logger.addHandler(handler(os.path.join(logs, "errors.log"), ERROR_FORMAT, logging.ERROR,
                              lambda path: logging.handlers.RotatingFileHandler(path, maxBytes=10 * 1024 * 1024, backupCount=5)))
    perf = logging.getLogger("performance")
    perf.setLevel(logging.INFO)
    perf.propagate = False
    perf.addHandler(handler(os.path.join(logs, "performance.log"), PERF_FORMAT, logging.INFO,
                            lambda path: logging.handlers.TimedRotatingFileHandler(path, when="midnight", backupCount=5)))
    return logger, perf


class Monitor:
    """monitoring.py's log_issue, log_connection_status and log_performance."""

    def __init__(self, logger, perf):
        self.logger = logger
        self.perf = perf
        self.issue_counts = {}
        self.connection_failures = {}

    def uptime(self):
        return round(clock.now - START, 3)

    def log_issue(self, issue_type, message, severity="WARNING", context=None):
        self.issue_counts[issue_type] = self.issue_counts.get(issue_type, 0) + 1
        data = {"issue_type": issue_type, "message": message, "severity": severity,
                "count": self.issue_counts[issue_type], "uptime": self.uptime(), "context": context or {}}
        self.logger.log(getattr(logging, severity), f"ISSUE: {json.dumps(data)}")
        issue = expected["issues"].setdefault(issue_type, {"count": 0, "in_errors_log": 0})
        issue["count"] += 1
        if severity in ("ERROR", "CRITICAL"):
            issue["in_errors_log"] += 1

    def log_connection_status(self, service, status, details=None):
        if not status:
            self.connection_failures[service] = self.connection_failures.get(service, 0) + 1
        data = {"service": service, "status": status,
                "details": {"failures": self.connection_failures.get(service, 0), **(details or {})}, "uptime": self.uptime()}
        self.logger.log(logging.INFO if status else logging.WARNING, f"CONNECTION: {json.dumps(data)}")
        history = expected["connections"].setdefault(service, {"up": 0, "down": 0})
        history["up" if status else "down"] += 1

    def log_performance(self, metric, value, unit=None):
        data = {"metric": metric, "value": value, "unit": unit, "timestamp": round(clock.now, 3), "uptime": self.uptime()}
        self.perf.info(f"PERF: {json.dumps(data)}")
        if isinstance(value, dict):
            for field in value:
                count(expected["metrics"], f"{metric}.{field}")
        else:
            count(expected["metrics"], metric)


class FrameDecodeError(Exception):
    pass


def frames_per_second(frames, seconds):
    return frames / seconds


def camera_settings(settings, camera):
    return settings[camera]


def decode_frame(data):
    try:
        return json.loads(data)
    except json.JSONDecodeError as error:
        raise FrameDecodeError(f"frame of {len(data)} bytes is not a frame") from error


def main():
    output = sys.argv[1] if len(sys.argv) > 1 else os.path.join("test", "fixtures", "python-app")
    logs = os.path.join(output, "logs")
    shutil.rmtree(logs, ignore_errors=True)
    os.makedirs(logs)
    rng = random.Random(14)
    logger, perf = setup(logs)
    monitor = Monitor(logger, perf)
    settings = {"camera_1": {"fps": 10}, "camera_2": {"fps": 10}}

    def exception(name):
        count(expected["exceptions"], name)

    logger.info("Camera system starting with %d cameras", len(CAMERAS))
    monitor.log_connection_status("redis", True)
    for camera in CAMERAS:
        monitor.log_connection_status(camera, True)

    step = 0
    while clock.now < START + SECONDS:
        step += 1
        for camera in CAMERAS:
            monitor.log_performance("fetch_image_duration", round(rng.lognormvariate(-3.5, 0.6), 6), "seconds")
        # Mostly 15 ms, now and then a stall of a second: the shape whose sketched p99 once came out above its max.
        stall = rng.random() < 0.03
        monitor.log_performance("save_frame_duration", round(rng.uniform(1.1, 1.25) if stall else rng.uniform(0.012, 0.018), 6), "seconds")
        monitor.log_performance("frame_bytes", rng.randint(180_000, 260_000), "bytes")
        monitor.log_performance("redis_publish_duration", round(rng.uniform(2e-6, 1.2e-4), 9), "seconds")
        if step % 15 == 0:
            monitor.log_performance("system_health", {"cpu_percent": round(rng.uniform(5, 60), 1),
                                                      "memory_percent": round(rng.uniform(40, 55), 1),
                                                      "disk_percent": 71.3, "active_threads": rng.randint(8, 14)})

        if step % 40 == 7:
            try:
                frames_per_second(rng.randint(100, 200), 0)
            except ZeroDivisionError:
                logger.exception("Function frames_per_second failed")
                exception("ZeroDivisionError")
        if step % 50 == 11:
            try:
                camera_settings(settings, "camera_3")
            except KeyError:
                logger.exception("No settings for camera_3")
                exception("KeyError")
        if step % 60 == 23:
            try:
                decode_frame(b"\x89PNG garbage"[: rng.randint(5, 12)].decode("latin-1"))
            except FrameDecodeError:
                logger.exception("Frame decode failed\nthe frame is dropped")
                exception("FrameDecodeError")
        if step % 45 == 30:
            monitor.log_issue("thread_timeout", "Thread timeout in fetch_image", "WARNING", {"camera": rng.choice(CAMERAS)})
        if step % 55 == 19:
            monitor.log_issue("function_failure", f"Process client.py exited with code {rng.choice((1, 137))}", "ERROR", {"camera": "camera_2"})
        if step % 70 == 41:
            monitor.log_connection_status("redis", False, {"error": "Error 111 connecting to localhost:6379. Connection refused."})
            monitor.log_issue("redis_connection_failed", "Redis connection failed: Connection refused", "ERROR", {"url": "redis://localhost:6379"})
        if step % 70 == 43:
            monitor.log_connection_status("redis", True)
        if step == 200:
            monitor.log_connection_status("camera_2", False, {"error": "timeout"})
            monitor.log_issue("camera_connection_failed", "Camera camera_2 disconnected", "CRITICAL", {"camera": "camera_2"})
            # Two lines and no traceback: its second line is not an exception.
            message = "Camera camera_2 stopped responding\nrestart scheduled in 30 s"
            logger.critical(message)
            expected["plain_errors"].append(message)
        if step == 215:
            monitor.log_connection_status("camera_2", True)
        clock.now = round(clock.now + STEP + rng.uniform(0, 0.999), 3)

    logging.shutdown()
    for name, counts in expected["files"].items():
        with open(os.path.join(logs, name), encoding="utf-8") as file:
            counts["lines"] = sum(1 for _ in file)
    expected["python"] = f"{sys.version_info.major}.{sys.version_info.minor}"
    with open(os.path.join(output, "expected.json"), "w", encoding="utf-8") as file:
        json.dump(expected, file, indent=2, sort_keys=True)
        file.write("\n")


if __name__ == "__main__":
    main()
