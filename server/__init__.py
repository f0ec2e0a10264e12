"""How `make run` serves the app: granian (HTTP in Rust) in front of the Flask app.

`python -m server` reads its settings from the environment (server/settings.py) and starts granian;
each worker process loads the app through server/worker.py, which serves it through the bridge in
server/bridge.py: bodies are read by the event loop within a deadline, the app runs on a few
threads. Why this server, and its timeouts: docs/operations.md#the-web-server.
"""
